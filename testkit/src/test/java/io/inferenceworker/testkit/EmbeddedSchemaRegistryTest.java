package io.inferenceworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.inferenceworker.testkit.EmbeddedSchemaRegistry.Route;

class EmbeddedSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final String V1 = record("name", "\"string\"", null);
    private static final String V2_DEFAULTED = record("name", "\"string\"", field("age", "\"int\"", "0"));
    private static final String V2_REQUIRED = record("name", "\"string\"", field("age", "\"int\"", null));

    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void registeringIsIdempotentAndIdsAreGlobal() throws Exception {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start()) {
            assertThat(register(fresh, "a-value", V1).json().get("id").asInt()).isEqualTo(1);
            assertThat(register(fresh, "a-value", V1).json().get("id").asInt()).isEqualTo(1);
            // Same schema, other whitespace, other subject: same global id, first version of that subject.
            String reformatted = V1.replace(",", " ,\n ");
            assertThat(register(fresh, "b-value", reformatted).json().get("id").asInt()).isEqualTo(1);
            assertThat(register(fresh, "a-value", V2_DEFAULTED).json().get("id").asInt()).isEqualTo(2);
            assertThat(call(fresh, "GET", "/subjects/a-value/versions", null).json())
                    .isEqualTo(JSON.readTree("[1,2]"));
            assertThat(call(fresh, "GET", "/subjects/b-value/versions", null).json())
                    .isEqualTo(JSON.readTree("[1]"));
            assertThat(call(fresh, "GET", "/subjects", null).json())
                    .isEqualTo(JSON.readTree("[\"a-value\",\"b-value\"]"));
        }
    }

    @Test
    void servesSchemasByIdAndVersion() throws Exception {
        String subject = unique("serve");
        int id = register(registry, subject, V1).json().get("id").asInt();

        Response byId = call(registry, "GET", "/schemas/ids/" + id, null);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(JSON.readTree(byId.json().get("schema").asText())).isEqualTo(JSON.readTree(V1));

        Response latest = call(registry, "GET", "/subjects/" + subject + "/versions/latest", null);
        assertThat(latest.json().get("subject").asText()).isEqualTo(subject);
        assertThat(latest.json().get("version").asInt()).isEqualTo(1);
        assertThat(latest.json().get("id").asInt()).isEqualTo(id);
        assertThat(call(registry, "GET", "/subjects/" + subject + "/versions/1", null).json()).isEqualTo(latest.json());
        assertThat(call(registry, "GET", "/subjects/" + subject + "/versions/1/schema", null).json())
                .isEqualTo(JSON.readTree(V1));
        assertThat(call(registry, "GET", "/schemas/ids/" + id + "/versions", null).json())
                .contains(JSON.readTree("{\"subject\":\"" + subject + "\",\"version\":1}"));

        Response lookup = call(registry, "POST", "/subjects/" + subject, schemaBody(V1));
        assertThat(lookup.json().get("id").asInt()).isEqualTo(id);
        assertThat(lookup.json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void answersConfluentErrorCodes() throws Exception {
        String subject = unique("errors");
        register(registry, subject, V1);

        assertError(call(registry, "GET", "/subjects/" + unique("none") + "/versions", null), 404, 40401);
        assertError(call(registry, "GET", "/subjects/" + subject + "/versions/7", null), 404, 40402);
        assertError(call(registry, "GET", "/subjects/" + subject + "/versions/x", null), 422, 42202);
        assertError(call(registry, "GET", "/schemas/ids/999999", null), 404, 40403);
        assertError(call(registry, "POST", "/subjects/" + unique("none"), schemaBody(V1)), 404, 40401);
        assertError(call(registry, "POST", "/subjects/" + subject, schemaBody(V2_DEFAULTED)), 404, 40403);
        assertError(register(registry, subject, "{\"type\":\"record\",\"name\":\"X\"}"), 422, 42201);
        assertError(register(registry, subject, "not json"), 422, 42201);
        assertError(call(registry, "POST", "/subjects/" + subject + "/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"), 422, 42201);
        assertError(call(registry, "POST", "/subjects/" + subject + "/versions", "{"), 400, 400);
        assertError(call(registry, "GET", "/nothing/here", null), 404, 404);
    }

    @Test
    void refusesIncompatibleSchemasUnderTheDefaultBackwardLevel() throws Exception {
        String subject = unique("backward");
        register(registry, subject, V1);

        assertThat(compatible(subject, "latest", V2_REQUIRED)).isFalse();
        assertError(register(registry, subject, V2_REQUIRED), 409, 409);
        assertThat(compatible(subject, "latest", V2_DEFAULTED)).isTrue();
        assertThat(register(registry, subject, V2_DEFAULTED).status()).isEqualTo(200);
        assertThat(compatible(subject, "1", V1)).isTrue();
    }

    @Test
    void decidesEachCompatibilityLevel() throws Exception {
        // Dropping a field without default: backward yes (new reader ignores it), forward no (old reader needs it).
        String withAge = V2_REQUIRED;
        String withoutAge = V1;
        assertThat(allowed("BACKWARD", withAge, withoutAge)).isTrue();
        assertThat(allowed("FORWARD", withAge, withoutAge)).isFalse();
        assertThat(allowed("FULL", withAge, withoutAge)).isFalse();
        assertThat(allowed("NONE", withAge, withoutAge)).isTrue();
        // Adding a field with a default is fully compatible.
        assertThat(allowed("FULL", withoutAge, V2_DEFAULTED)).isTrue();
        assertThat(allowed("FORWARD", withoutAge, withAge)).isTrue();
        assertThat(allowed("BACKWARD", withoutAge, withAge)).isFalse();
    }

    @Test
    void transitiveLevelsCheckEveryVersion() throws Exception {
        for (String level : List.of("BACKWARD", "BACKWARD_TRANSITIVE")) {
            String subject = unique("transitive");
            setLevel(subject, level);
            register(registry, subject, V1);
            register(registry, subject, V2_DEFAULTED);
            // Reads v2 data (which has age), but not v1 data (no age, no default).
            Response third = register(registry, subject, V2_REQUIRED);
            assertThat(third.status()).as(level).isEqualTo(level.endsWith("TRANSITIVE") ? 409 : 200);
        }
    }

    @Test
    void servesGlobalAndSubjectConfig() throws Exception {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start()) {
            assertThat(call(fresh, "GET", "/config", null).json().get("compatibilityLevel").asText())
                    .isEqualTo("BACKWARD");
            assertError(call(fresh, "GET", "/config/s", null), 404, 40408);
            assertThat(call(fresh, "GET", "/config/s?defaultToGlobal=true", null).json()
                    .get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

            Response put = call(fresh, "PUT", "/config/s", "{\"compatibility\":\"full_transitive\"}");
            assertThat(put.json().get("compatibility").asText()).isEqualTo("FULL_TRANSITIVE");
            assertThat(call(fresh, "GET", "/config/s", null).json().get("compatibilityLevel").asText())
                    .isEqualTo("FULL_TRANSITIVE");
            call(fresh, "PUT", "/config", "{\"compatibility\":\"NONE\"}");
            assertThat(call(fresh, "GET", "/config", null).json().get("compatibilityLevel").asText())
                    .isEqualTo("NONE");
            assertError(call(fresh, "PUT", "/config/s", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        }
    }

    @Test
    void deletingASubjectKeepsIdsReadable() throws Exception {
        String subject = unique("delete");
        int id = register(registry, subject, V1).json().get("id").asInt();
        register(registry, subject, V2_DEFAULTED);

        assertThat(call(registry, "DELETE", "/subjects/" + subject, null).json()).isEqualTo(JSON.readTree("[1,2]"));
        assertError(call(registry, "GET", "/subjects/" + subject + "/versions", null), 404, 40401);
        assertThat(call(registry, "GET", "/schemas/ids/" + id, null).status()).isEqualTo(200);
        assertThat(register(registry, subject, V1).json().get("id").asInt()).isEqualTo(id);
    }

    @Test
    void subjectsArePercentDecoded() throws Exception {
        String subject = unique("a/b+c ü");
        String encoded = java.net.URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(call(registry, "POST", "/subjects/" + encoded + "/versions", schemaBody(V1)).status()).isEqualTo(200);
        assertThat(call(registry, "GET", "/subjects", null).json()).contains(JSON.valueToTree(subject));
    }

    @Test
    void countsRequestsPerRouteButNotDirectRegistrations() throws Exception {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start()) {
            int id = fresh.register("direct-value", V1);
            assertThat(fresh.callCount()).isZero();

            call(fresh, "GET", "/schemas/ids/" + id, null);
            call(fresh, "GET", "/schemas/ids/" + id, null);
            register(fresh, "direct-value", V1);
            call(fresh, "GET", "/nowhere", null);

            assertThat(fresh.callCount(Route.SCHEMA_BY_ID)).isEqualTo(2);
            assertThat(fresh.callCount(Route.REGISTER)).isEqualTo(1);
            assertThat(fresh.callCount(Route.OTHER)).isEqualTo(1);
            assertThat(fresh.callCount()).isEqualTo(4);
        }
    }

    @Test
    void directRegistrationRefusesInvalidOrIncompatibleSchemas() {
        String subject = unique("direct");
        registry.register(subject, V1);
        assertThatThrownBy(() -> registry.register(subject, V2_REQUIRED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incompatible");
        assertThatThrownBy(() -> registry.register(subject, "{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid schema");
    }

    @Test
    void programmedOutageAnswers503UntilLifted() throws Exception {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.start()) {
            fresh.setAvailable(false);
            assertError(register(fresh, "outage-value", V1), 503, 50003);
            assertThat(fresh.callCount(Route.REGISTER)).isEqualTo(1);
            fresh.setAvailable(true);
            assertThat(register(fresh, "outage-value", V1).status()).isEqualTo(200);
        }
    }

    @Test
    void responseDelayMakesClientsTimeOut() throws Exception {
        try (EmbeddedSchemaRegistry slow = EmbeddedSchemaRegistry.start()) {
            slow.setResponseDelay(Duration.ofSeconds(5));
            HttpRequest request = HttpRequest.newBuilder(URI.create(slow.url() + "/subjects"))
                    .timeout(Duration.ofMillis(200)).GET().build();
            assertThatThrownBy(() -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            slow.setResponseDelay(Duration.ZERO);
            assertThat(call(slow, "GET", "/subjects", null).status()).isEqualTo(200);
        }
    }

    @Test
    void basicAuthenticationIsEnforced() throws Exception {
        try (EmbeddedSchemaRegistry secured = EmbeddedSchemaRegistry.builder().withBasicAuth("fred", "s3cret").start()) {
            assertError(call(secured, "GET", "/subjects", null, null), 401, 401);
            assertError(call(secured, "GET", "/subjects", null, basic("fred", "wrong")), 401, 401);
            assertThat(call(secured, "GET", "/subjects", null, basic("fred", "s3cret")).status()).isEqualTo(200);
        }
    }

    @Test
    void bearerAuthenticationIsEnforced() throws Exception {
        try (EmbeddedSchemaRegistry secured = EmbeddedSchemaRegistry.builder().withBearerToken("tok-123").start()) {
            assertError(call(secured, "GET", "/subjects", null, "Bearer other"), 401, 401);
            assertError(call(secured, "GET", "/subjects", null, basic("tok", "123")), 401, 401);
            assertThat(call(secured, "GET", "/subjects", null, "Bearer tok-123").status()).isEqualTo(200);
        }
    }

    @Test
    void builderRejectsContradictoryOptions() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().withBasicAuth("a", "b").withBearerToken("t"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().withClientCertificateRequired().start())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().withFirstSchemaId(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstSchemaIdIsConfigurable() throws Exception {
        try (EmbeddedSchemaRegistry fresh = EmbeddedSchemaRegistry.builder().withFirstSchemaId(0x01020304).start()) {
            assertThat(register(fresh, "big-value", V1).json().get("id").asInt()).isEqualTo(0x01020304);
            assertThat(register(fresh, "big-value", V2_DEFAULTED).json().get("id").asInt()).isEqualTo(0x01020305);
        }
    }

    @Test
    void concurrentRegistrationsOfOneSchemaGetOneId() throws Exception {
        String subject = unique("concurrent");
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tasks.add(() -> register(registry, subject, V1).json().get("id").asInt());
        }
        Set<Integer> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> id : pool.invokeAll(tasks)) {
                ids.add(id.get());
            }
        }
        assertThat(ids).hasSize(1);
        assertThat(call(registry, "GET", "/subjects/" + subject + "/versions", null).json()).hasSize(1);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private record Response(int status, JsonNode json, String contentType) {
    }

    private static boolean allowed(String level, String first, String second) throws Exception {
        String subject = unique("level");
        setLevel(subject, level);
        register(registry, subject, first);
        return compatible(subject, "latest", second);
    }

    private static void setLevel(String subject, String level) throws Exception {
        assertThat(call(registry, "PUT", "/config/" + subject, "{\"compatibility\":\"" + level + "\"}").status())
                .isEqualTo(200);
    }

    private static boolean compatible(String subject, String version, String schema) throws Exception {
        Response answer = call(registry, "POST", "/compatibility/subjects/" + subject + "/versions/" + version,
                schemaBody(schema));
        assertThat(answer.status()).isEqualTo(200);
        return answer.json().get("is_compatible").asBoolean();
    }

    private static Response register(EmbeddedSchemaRegistry target, String subject, String schema) throws Exception {
        return call(target, "POST", "/subjects/" + subject + "/versions", schemaBody(schema));
    }

    private static void assertError(Response response, int status, int errorCode) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(response.json().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(response.json().get("message").asText()).isNotBlank();
    }

    private static Response call(EmbeddedSchemaRegistry target, String method, String path, String body)
            throws IOException, InterruptedException {
        return call(target, method, path, body, null);
    }

    private static Response call(EmbeddedSchemaRegistry target, String method, String path, String body,
                                 String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), JSON.readTree(response.body()),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID();
    }

    private static String record(String firstName, String firstType, String extraField) {
        return "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"test.registry\",\"fields\":["
                + "{\"name\":\"" + firstName + "\",\"type\":" + firstType + "}"
                + (extraField == null ? "" : "," + extraField) + "]}";
    }

    private static String field(String name, String type, String defaultJson) {
        return "{\"name\":\"" + name + "\",\"type\":" + type
                + (defaultJson == null ? "" : ",\"default\":" + defaultJson) + "}";
    }
}
