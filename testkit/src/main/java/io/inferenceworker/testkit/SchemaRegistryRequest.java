package io.inferenceworker.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;

/**
 * A request to the registry double, classified: which {@link Route} it is and the path parameters it names
 * ({@code subject}, {@code version}, {@code id}).
 */
record SchemaRegistryRequest(Route route, String method, String subject, String version, String id,
                             Map<String, String> query) {

    /** Classifies {@code method} and the raw (still percent-encoded) path and query of a request. */
    static SchemaRegistryRequest classify(String method, String rawPath, String rawQuery) {
        List<String> p = segments(rawPath);
        Map<String, String> query = parseQuery(rawQuery);
        int n = p.size();
        String first = n > 0 ? p.get(0) : "";
        Route route = Route.OTHER;
        String subject = null;
        String version = null;
        String id = null;
        switch (first) {
            case "subjects" -> {
                subject = n > 1 ? p.get(1) : null;
                version = n > 3 ? p.get(3) : null;
                route = subjectsRoute(method, n, n > 4 ? p.get(4) : null, n > 2 ? p.get(2) : null);
            }
            case "schemas" -> {
                id = n > 2 ? p.get(2) : null;
                boolean ids = n > 1 && "ids".equals(p.get(1));
                if (ids && n == 3 && "GET".equals(method)) {
                    route = Route.SCHEMA_BY_ID;
                } else if (ids && n == 4 && "versions".equals(p.get(3)) && "GET".equals(method)) {
                    route = Route.SCHEMA_ID_VERSIONS;
                }
            }
            case "compatibility" -> {
                boolean shape = n == 5 && "subjects".equals(p.get(1)) && "versions".equals(p.get(3));
                if (shape && "POST".equals(method)) {
                    route = Route.COMPATIBILITY;
                    subject = p.get(2);
                    version = p.get(4);
                }
            }
            case "config" -> {
                subject = n == 2 ? p.get(1) : null;
                if (n <= 2 && "GET".equals(method)) {
                    route = Route.GET_CONFIG;
                } else if (n <= 2 && "PUT".equals(method)) {
                    route = Route.PUT_CONFIG;
                }
            }
            default -> route = Route.OTHER;
        }
        return new SchemaRegistryRequest(route, method, subject, version, id, query);
    }

    private static Route subjectsRoute(String method, int n, String fifth, String third) {
        boolean versions = "versions".equals(third);
        return switch (n) {
            case 1 -> "GET".equals(method) ? Route.SUBJECTS : Route.OTHER;
            case 2 -> switch (method) {
                case "POST" -> Route.LOOKUP;
                case "DELETE" -> Route.DELETE_SUBJECT;
                default -> Route.OTHER;
            };
            case 3 -> !versions ? Route.OTHER : switch (method) {
                case "GET" -> Route.VERSIONS;
                case "POST" -> Route.REGISTER;
                default -> Route.OTHER;
            };
            case 4 -> versions && "GET".equals(method) ? Route.VERSION : Route.OTHER;
            case 5 -> versions && "schema".equals(fifth) && "GET".equals(method) ? Route.VERSION_SCHEMA : Route.OTHER;
            default -> Route.OTHER;
        };
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        return segments;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            query.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String raw) {
        // Path segments keep '+' literally; URLDecoder would turn it into a space.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
