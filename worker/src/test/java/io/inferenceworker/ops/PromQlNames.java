package io.inferenceworker.ops;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana variable query) selects: every identifier that is not a
 * function, an aggregation, a keyword, a label name (in a matcher or a grouping clause), a string, a duration or a
 * Grafana variable. Names keep their suffixes ({@code _bucket}, {@code _count}, {@code _total}): the caller compares
 * them with the sample names of a scrape, where a histogram shows {@code x_bucket}, {@code x_count} and
 * {@code x_sum}, never {@code x}.
 *
 * <p>A lexical approximation, not a parser: good for the dashboards and rules we write (checked by
 * {@code PromQlNamesTest}), not for arbitrary PromQL.
 */
final class PromQlNames {
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\[\\[[^]]*]]|\\$\\w+");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-zA-Z]+");
    private static final Pattern AT = Pattern.compile("@\\s*(?:start\\(\\)|end\\(\\)|[0-9.]+)");
    /** An identifier not glued to a preceding word character or dot (so not the {@code e3} of {@code 1e3}). */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    /** A selector with matchers, once strings are emptied: {@code name{label op "", ...}}. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern GRAFANA_QUERY_FUNCTION = Pattern.compile(
            "^\\s*(?:query_result|label_values)\\((.*)\\)\\s*$", Pattern.DOTALL);
    /** Aggregations and keywords that are not always followed by a parenthesis. */
    private static final Set<String> KEYWORDS = Set.of(
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio", "by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");

    private PromQlNames() {
    }

    /** The metric names a PromQL expression selects. */
    static Set<String> of(String expression) {
        String e = STRINGS.matcher(expression).replaceAll(" ");
        e = GRAFANA_VARIABLES.matcher(e).replaceAll(" ");
        e = MATCHERS.matcher(e).replaceAll(" ");
        e = RANGES.matcher(e).replaceAll(" ");
        e = GROUPING.matcher(e).replaceAll(" ");
        e = OFFSET.matcher(e).replaceAll(" ");
        e = AT.matcher(e).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String word = m.group().replaceAll("[\\s(]", "");
            boolean function = m.group(1) != null;
            if (!function && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    /** The label names each metric's selectors match on, by metric: {@code x{a="1", b=~"2"}} gives x → [a, b]. */
    static Map<String, Set<String>> matcherLabels(String expression) {
        String e = STRINGS.matcher(expression).replaceAll("\"\"");
        Map<String, Set<String>> labels = new TreeMap<>();
        Matcher selector = SELECTOR.matcher(e);
        while (selector.find()) {
            Matcher label = MATCHER_LABEL.matcher(selector.group(2));
            while (label.find()) {
                labels.computeIfAbsent(selector.group(1), n -> new TreeSet<>()).add(label.group(1));
            }
        }
        return labels;
    }

    /**
     * The metric names a Grafana Prometheus variable query selects: {@code label_values(selector, label)} names the
     * selector's metric, {@code label_values(label)} none, {@code query_result(expr)} those of the expression.
     */
    static Set<String> ofVariableQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return of(labelValues.group(1));
        }
        Matcher other = GRAFANA_QUERY_FUNCTION.matcher(query);
        if (other.matches()) {
            return query.trim().startsWith("label_values") ? Set.of() : of(other.group(1));
        }
        return of(query);
    }

    /**
     * The labels a Grafana variable query needs, by metric: those its selectors match on and, for
     * {@code label_values(selector, label)}, the label whose values it lists.
     */
    static Map<String, Set<String>> variableLabels(String query) {
        Map<String, Set<String>> labels = matcherLabels(query);
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            for (String metric : of(labelValues.group(1))) {
                labels.computeIfAbsent(metric, n -> new TreeSet<>()).add(labelValues.group(2));
            }
        }
        return labels;
    }
}
