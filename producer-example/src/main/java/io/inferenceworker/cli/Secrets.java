package io.inferenceworker.cli;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values among the client properties, to take out of anything the CLI prints. The clients and the serde
 * already keep passwords out of their messages; this is the second line, for messages we do not control (a JAAS
 * parser quoting its input, a library echoing a value it refused). Immutable.
 *
 * @param values the secret strings, longest first (so a secret containing another is hidden whole)
 */
record Secrets(List<String> values) {
    static final String HIDDEN = "[hidden]";
    /** Keys whose values are secret: passwords, JAAS configurations, registry user info, tokens, PEM keys. */
    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(password|secret|jaas\\.config|user\\.info|token|ssl\\.keystore\\.key).*");
    /** {@code name="value"} options of a JAAS configuration (LoginModule options). */
    private static final Pattern JAAS_OPTION = Pattern.compile("([\\w.]+)\\s*=\\s*\"([^\"]*)\"");
    /** The user info of a URL ({@code https://user:password@host}). */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    /** Shorter strings are not hidden: replacing two letters everywhere would garble every message. */
    private static final int MIN_LENGTH = 4;

    Secrets {
        values = List.copyOf(values);
    }

    /** The secrets among {@code properties} (any number of maps: file, command line). */
    @SafeVarargs
    static Secrets in(Map<String, String>... properties) {
        Set<String> found = new LinkedHashSet<>();
        for (Map<String, String> map : properties) {
            map.forEach((key, value) -> {
                if (value == null || !SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches()) {
                    return;
                }
                found.add(value);
                if (key.endsWith("jaas.config")) {
                    Matcher option = JAAS_OPTION.matcher(value);
                    while (option.find()) {
                        if (!option.group(1).toLowerCase(Locale.ROOT).contains("username")) {
                            found.add(option.group(2));
                        }
                    }
                }
                int colon = value.indexOf(':');
                if (key.endsWith("user.info") && colon >= 0) {
                    found.add(value.substring(colon + 1)); // user:password: the password alone is secret too
                }
            });
        }
        return new Secrets(found.stream().filter(secret -> secret.length() >= MIN_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** {@code text} with every secret and every URL's user info replaced by {@value #HIDDEN}. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : values) {
            redacted = redacted.replace(secret, HIDDEN);
        }
        return URL_USER_INFO.matcher(redacted).replaceAll(HIDDEN + "@");
    }
}
