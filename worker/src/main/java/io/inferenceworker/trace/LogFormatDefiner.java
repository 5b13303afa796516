package io.inferenceworker.trace;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The {@code LOG_FORMAT} switch of the worker's {@code logback.xml}: the name of the appender to log to, {@code text}
 * (the default) or {@code json}, from the Logback context property, the system property or the environment variable
 * {@code LOG_FORMAT}, in that order, in any case. Another value logs a Logback warning naming it and falls back to
 * {@code text}: a typo must not leave the worker without logs.
 *
 * <p>Instantiated by Logback while it configures itself; thread-confined to that.
 */
public class LogFormatDefiner extends PropertyDefinerBase {
    static final String VARIABLE = "LOG_FORMAT";
    static final String TEXT = "text";
    static final String JSON = "json";

    @Override
    public String getPropertyValue() {
        String value = getContext() == null ? null : getContext().getProperty(VARIABLE);
        if (value == null) {
            value = System.getProperty(VARIABLE);
        }
        if (value == null) {
            value = System.getenv(VARIABLE);
        }
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        String format = value.strip().toLowerCase(Locale.ROOT);
        if (format.equals(TEXT) || format.equals(JSON)) {
            return format;
        }
        addWarn(VARIABLE + "=" + value + " is neither " + TEXT + " nor " + JSON + "; logging as " + TEXT);
        return TEXT;
    }
}
