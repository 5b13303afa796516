package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP/1.1 client for the simulator tests, with request builders and an SSE parser. */
final class SimHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private SimHttp() {
    }

    static HttpClient client() {
        return CLIENT;
    }

    static HttpResponse<String> post(String url, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    static HttpResponse<String> post(String url, JsonNode body, String... headers) {
        return post(url, body.toString(), headers);
    }

    static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** {@code {"model": model, "messages": [{"role":"user","content": text}]}}. */
    static ObjectNode chat(String model, String text) {
        ObjectNode body = JSON.createObjectNode();
        if (model != null) {
            body.put("model", model);
        }
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return body;
    }

    /** Adds a {@code get_weather(city)} tool. */
    static ObjectNode withWeatherTool(ObjectNode body) {
        ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function");
        function.put("name", "get_weather").put("description", "Get the weather for a city");
        ObjectNode parameters = function.putObject("parameters").put("type", "object");
        parameters.putObject("properties").putObject("city").put("type", "string");
        parameters.putArray("required").add("city");
        return body;
    }

    /** One server-sent event; {@code bom} tells whether its first line started with U+FEFF. */
    record Event(String event, String data, boolean bom) {
        JsonNode json() {
            return SimHttp.json(data);
        }
    }

    /** Parses an event-stream body: events separated by blank lines, a leading U+FEFF stripped from each line. */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String event = null;
            StringBuilder data = new StringBuilder();
            boolean bom = block.startsWith("\uFEFF");
            for (String line : block.split("\n")) {
                String clean = line.startsWith("\uFEFF") ? line.substring(1) : line;
                if (clean.startsWith("event: ")) {
                    event = clean.substring("event: ".length());
                } else if (clean.startsWith("data: ")) {
                    data.append(clean.substring("data: ".length()));
                }
            }
            events.add(new Event(event, data.toString(), bom));
        }
        return events;
    }

    /** The concatenated {@code delta.<field>} of the chunks' first choice. */
    static String joinDeltas(List<Event> events, String field) {
        StringBuilder text = new StringBuilder();
        for (Event event : events) {
            if (event.data().startsWith("{")) {
                JsonNode delta = event.json().path("choices").path(0).path("delta").path(field);
                if (delta.isTextual()) {
                    text.append(delta.asText());
                }
            }
        }
        return text.toString();
    }
}
