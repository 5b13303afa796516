package io.inferenceworker.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The worker's own logback.xml: text by default, one JSON object per line with {@code LOG_FORMAT=json}. */
class LogFormatTest {

    @Test
    void jsonLinesCarryTheJobsFieldsFromTheMdc() throws Exception {
        LoggerContext context = configured("json");
        try {
            Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
            assertThat(appender).isNotNull();
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text")).isNull();

            String line = encode(appender, context, Map.of("job_id", "job-1", "tenant", "acme",
                    "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));
            assertThat(line).endsWith("\n").doesNotContain("\n{");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("INFO");
            assertThat(json.path("loggerName").asText()).isEqualTo("io.inferenceworker.outcomes");
            assertThat(json.path("formattedMessage").asText()).isEqualTo("job=job-1 status=SUCCEEDED \"quoted\"");
            assertThat(json.path("mdc").path("job_id").asText()).isEqualTo("job-1");
            assertThat(json.path("mdc").path("tenant").asText()).isEqualTo("acme");
            assertThat(json.path("mdc").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(json.path("mdc").path("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        } finally {
            context.stop();
        }
    }

    @Test
    void textIsTheDefaultAndNamesTheJobAndTrace() throws Exception {
        LoggerContext context = configured(null);
        try {
            Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text");
            assertThat(appender).isNotNull();
            assertThat(encode(appender, context, Map.of("job_id", "job-1", "trace_id", "4bf9")))
                    .endsWith("job=job-1 status=SUCCEEDED \"quoted\" job=job-1 trace=4bf9" + System.lineSeparator());
            assertThat(encode(appender, context, Map.of()))
                    .endsWith("job=job-1 status=SUCCEEDED \"quoted\"" + System.lineSeparator());
        } finally {
            context.stop();
        }
    }

    /** A warning while configuring makes Logback print its whole status at start: thirty lines before the banner. */
    @Test
    void bothFormatsConfigureWithoutAWarning() throws Exception {
        for (String format : new String[] {null, "json"}) {
            LoggerContext context = configured(format);
            try {
                assertThat(context.getStatusManager().getCopyOfStatusList())
                        .as("LOG_FORMAT=%s", format)
                        .allSatisfy(status -> assertThat(status.getLevel()).isLessThan(Status.WARN));
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void anyCaseSelectsJsonAndAnUnknownFormatFallsBackToTextWithAWarning() throws Exception {
        LoggerContext upper = configured("JSON");
        try {
            assertThat(upper.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).isNotNull();
        } finally {
            upper.stop();
        }
        LoggerContext typo = configured("jsno");
        try {
            assertThat(typo.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text")).isNotNull();
            assertThat(typo.getStatusManager().getCopyOfStatusList())
                    .anySatisfy(status -> assertThat(status.getMessage())
                            .contains("LOG_FORMAT=jsno is neither text nor json; logging as text"));
        } finally {
            typo.stop();
        }
    }

    private static LoggerContext configured(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        if (format != null) {
            context.putProperty("LOG_FORMAT", format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        // the main logback.xml, not the tests' logback-test.xml
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        return context;
    }

    private static String encode(Appender<ILoggingEvent> appender, LoggerContext context, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("io.inferenceworker.outcomes"), Level.INFO,
                "job={} status={} \"quoted\"", null, new Object[] {"job-1", "SUCCEEDED"});
        event.setMDCPropertyMap(mdc);
        byte[] bytes = ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder().encode(event);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
