package io.inferenceworker.serde;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.inferenceworker.serde.RegistryTransport.Reply;

/**
 * A {@link SchemaRegistryClient} that makes one HTTP request per call to a Confluent-compatible registry
 * (content type {@code application/vnd.schemaregistry.v1+json}), with Basic or bearer authentication, TLS
 * and URL failover as configured by {@link AvroSerdeConfig}. Does not cache: wrap it in
 * {@link CachedSchemaRegistryClient} (the serializers do).
 *
 * <p>Only AVRO schemas without schema references are read; others are reported as
 * {@link IncompatibleSchemaException}. Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    private final RegistryTransport transport;

    /**
     * @throws org.apache.kafka.common.config.ConfigException if no URL is configured, a URL is malformed, or
     *                                                        the TLS stores cannot be loaded
     */
    public RestSchemaRegistryClient(AvroSerdeConfig config) {
        Objects.requireNonNull(config, "config");
        List<RegistryEndpoint> endpoints = RegistryEndpoint.of(config);
        this.transport = new RegistryTransport(endpoints, RegistryTransport.httpClient(config, config.connectTimeout()),
                config.readTimeout());
        LOG.info("Schema registry client for {} ({})", endpoints, config);
    }

    @Override
    public int register(String subject, Schema schema) {
        String operation = "registering a schema under subject '" + subject + "'";
        Reply reply = transport.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                operation, null);
        return intField(requireSuccess(reply, operation, null), "id", operation);
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        String operation = "looking up a schema under subject '" + subject + "'";
        Reply reply = transport.send("POST", "/subjects/" + encode(subject), schemaBody(schema), operation, null);
        if (reply.status() == 404 && (reply.errorCode() == 40401 || reply.errorCode() == 40403)) {
            throw new RegistryRequestException("the schema is not registered under subject '" + subject + "' ("
                    + reply.errorCode() + ": " + reply.message() + ") and "
                    + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS + " is false", 404, reply.errorCode(), null);
        }
        return intField(requireSuccess(reply, operation, null), "id", operation);
    }

    @Override
    public Schema getById(int id) {
        String operation = "fetching schema id " + id;
        Reply reply = transport.send("GET", "/schemas/ids/" + id, null, operation, id);
        if (reply.status() == 404 && reply.errorCode() == 40403) {
            throw new UnknownSchemaIdException(id, reply.endpoint().toString());
        }
        JsonNode body = requireSuccess(reply, operation, id);
        return parseAvro(body, (why, cause) -> new IncompatibleSchemaException(
                "schema id " + id + " cannot be used as an Avro writer schema: " + why, id, cause));
    }

    @Override
    public RegisteredSchema latest(String subject) {
        String operation = "fetching the latest schema of subject '" + subject + "'";
        Reply reply = transport.send("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                operation, null);
        JsonNode body = requireSuccess(reply, operation, null);
        int id = intField(body, "id", operation);
        int version = intField(body, "version", operation);
        Schema schema = parseAvro(body, (why, cause) -> new RegistryRequestException("the latest schema of subject '"
                + subject + "' (id " + id + ") cannot be used: " + why, reply.status(), -1, id));
        return new RegisteredSchema(subject, version, id, schema);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + transport + "]";
    }

    private static Schema parseAvro(JsonNode body, BiFunction<String, Throwable, RuntimeException> unusable) {
        String schemaType = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(schemaType)) {
            throw unusable.apply("it is a " + schemaType + " schema", null);
        }
        if (body.path("references").size() > 0) {
            throw unusable.apply("it uses schema references, which io.inferenceworker.serde does not resolve", null);
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw unusable.apply("the registry's answer has no schema text", null);
        }
        try {
            // Lenient on defaults: a writer schema's defaults are never used, and other producers registered it.
            return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
        } catch (AvroRuntimeException | IllegalArgumentException unparseable) {
            throw unusable.apply("it does not parse as Avro (" + unparseable.getClass().getSimpleName() + ")",
                    unparseable);
        }
    }

    /** The body of a 2xx reply; any other status becomes a {@link RegistryRequestException}. */
    private static JsonNode requireSuccess(Reply reply, String operation, Integer schemaId) {
        if (reply.status() >= 200 && reply.status() < 300) {
            return reply.body();
        }
        String hint = "";
        if (reply.errorCode() < 0) {
            hint = " (no Confluent error code: is the URL a schema registry?)";
        } else if (reply.status() == 404 && reply.errorCode() == 404) {
            hint = " (no such endpoint: is the URL the registry's base URL?)";
        }
        throw new RegistryRequestException("schema registry at " + reply.endpoint() + " answered " + reply.status()
                + " while " + operation + ": " + reply.message() + hint, reply.status(), reply.errorCode(), schemaId);
    }

    private static int intField(JsonNode body, String field, String operation) {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new RegistryRequestException("the schema registry's answer has no integer \"" + field
                    + "\" while " + operation, 200, -1, null);
        }
        return value.asInt();
    }

    private static ObjectNode schemaBody(Schema schema) {
        // schemaType is omitted for AVRO, as Confluent's own client does.
        return JsonNodeFactory.instance.objectNode().put("schema", schema.toString());
    }

    private static String encode(String subject) {
        Objects.requireNonNull(subject, "subject");
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
