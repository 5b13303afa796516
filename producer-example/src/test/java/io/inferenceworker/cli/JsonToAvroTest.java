package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ContentPart;
import io.inferenceworker.schemas.ContentPartType;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.schemas.ToolChoiceMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request files: the schema's field names, plain unions, friendly enums, times and JSON-text fields. */
class JsonToAvroTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void readsAFullRequestAsPeopleWriteIt() throws Exception {
        CompletionRequest request = read("""
                {"job_id": "j1", "provider": "vultr", "model": "m",
                 "messages": [{"role": "system", "content": "Be brief"},
                              {"role": "user", "content": [{"type": "text", "text": "Hi"},
                                                           {"type": "image_url", "url": "https://x/y.png"}]}],
                 "max_tokens": 10, "temperature": 0.5, "seed": 12345678901, "stop": ["END"],
                 "logit_bias": {"50256": -100},
                 "tools": [{"name": "f", "parameters": {"type": "object"}}],
                 "tool_choice": {"mode": "function", "function_name": "f"},
                 "chat_template_kwargs": {"thinking": true},
                 "stream": true, "deadline": "30s", "submitted_at": 1748779200000,
                 "metadata": {"a": "b"}}
                """);
        assertThat(request.getJobId()).isEqualTo("j1");
        assertThat(request.getMessages().get(0).getRole()).isEqualTo(Role.SYSTEM);
        assertThat(request.getMessages().get(0).getContent()).isEqualTo("Be brief");
        List<?> parts = (List<?>) request.getMessages().get(1).getContent();
        assertThat(((ContentPart) parts.get(1)).getType()).isEqualTo(ContentPartType.IMAGE_URL);
        assertThat(request.getSeed()).isEqualTo(12345678901L);
        assertThat(request.getLogitBias()).isEqualTo(Map.of("50256", -100));
        assertThat(JSON.readTree(request.getTools().get(0).getParameters())).isEqualTo(JSON.readTree("{\"type\":\"object\"}"));
        assertThat(request.getToolChoice().getMode()).isEqualTo(ToolChoiceMode.FUNCTION);
        assertThat(request.getChatTemplateKwargs()).isEqualTo("{\"thinking\":true}");
        assertThat(request.getDeadline()).isEqualTo(NOW.plusSeconds(30));
        assertThat(request.getSubmittedAt()).isEqualTo(NOW);
        assertThat(request.getMetadata()).containsEntry("a", "b");
    }

    @Test
    void missingFieldsTakeTheSchemaDefaults() {
        CompletionRequest request = read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": []}");
        assertThat(request.getModel()).isNull();
        assertThat(request.getStream()).isFalse();
        assertThat(request.getMetadata()).isEmpty();
        assertThat(read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": [], \"deadline\": \"2025-07-01T00:00:00+02:00\"}")
                .getDeadline()).isEqualTo(Instant.parse("2025-06-30T22:00:00Z"));
    }

    @Test
    void mistakesAreNamedByTheirJsonPath() {
        assertThatThrownBy(() -> read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": [], \"temprature\": 1}"))
                .isInstanceOf(InputException.class).hasMessageStartingWith("temprature: unknown field");
        assertThatThrownBy(() -> read("{\"job_id\": \"j\", \"messages\": []}"))
                .hasMessage(": missing required field 'provider' (CompletionRequest)");
        assertThatThrownBy(() -> read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": [], \"max_tokens\": 1.5}"))
                .hasMessageStartingWith("max_tokens: expected a whole number");
        assertThatThrownBy(() -> read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": [{\"content\": \"x\"}]}"))
                .hasMessage("messages[0]: missing required field 'role' (Message)");
        assertThatThrownBy(() -> read("{\"job_id\": \"j\", \"provider\": \"p\", \"messages\": [], \"stream\": \"yes\"}"))
                .hasMessage("stream: expected true or false");
        assertThatThrownBy(() -> read("{\"job_id\": null, \"provider\": \"p\", \"messages\": []}"))
                .hasMessage("job_id: expected a string");
    }

    @Test
    void writesBackTheSameShape() {
        CompletionRequest request = read("{\"job_id\": \"j\", \"provider\": \"p\", \"deadline\": 1748779200000,"
                + " \"messages\": [{\"role\": \"USER\", \"content\": \"Hi\"}]}");
        JsonNode json = AvroToJson.toJson(request);
        assertThat(json.get("deadline").asText()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(json.get("messages").get(0).get("role").asText()).isEqualTo("USER");
        assertThat(JsonToAvro.read(json, CompletionRequest.class, CLOCK)).isEqualTo(request);
    }

    private static CompletionRequest read(String json) {
        try {
            return JsonToAvro.read(JSON.readTree(json), CompletionRequest.class, CLOCK);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
