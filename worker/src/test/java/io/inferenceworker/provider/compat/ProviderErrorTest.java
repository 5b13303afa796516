package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProviderErrorTest {
    private final ObjectMapper json = OpenAiJson.newMapper();

    @Test
    void readsEveryKnownShape() {
        assertThat(ProviderError.parse(json, "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\","
                + "\"param\":\"n\",\"code\":null}}"))
                .contains(new ProviderError("bad", "invalid_request_error", null, "n"));
        assertThat(ProviderError.parse(json, "{\"error\":{\"message\":\"no\",\"type\":\"BadRequestError\",\"code\":400}}"))
                .contains(new ProviderError("no", "BadRequestError", "400", null));
        assertThat(ProviderError.parse(json, "{\"object\":\"error\",\"message\":\"flat\",\"type\":\"NotFoundError\","
                + "\"param\":null,\"code\":404}"))
                .contains(new ProviderError("flat", "NotFoundError", "404", null));
        assertThat(ProviderError.parse(json, "{\"error\":\"just text\"}"))
                .contains(new ProviderError("just text", null, null, null));
        assertThat(ProviderError.parse(json, "{\"error\":{\"root_cause\":[{}],\"type\":\"security_exception\","
                + "\"reason\":\"missing authentication\"},\"status\":401}"))
                .contains(new ProviderError("missing authentication", "security_exception", null, null));
        assertThat(ProviderError.parse(json, "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429}"))
                .contains(new ProviderError("Too Many Requests", "about:blank", "429", null));
        assertThat(ProviderError.parse(json, "{\"status\":422,\"title\":\"Unprocessable\",\"detail\":\"temperature\"}"))
                .contains(new ProviderError("temperature", null, "422", null));
    }

    @Test
    void nonJsonOrUnknownShapesGiveNothing() {
        assertThat(ProviderError.parse(json, "<html>Bad Gateway</html>")).isEmpty();
        assertThat(ProviderError.parse(json, "")).isEmpty();
        assertThat(ProviderError.parse(json, "[1,2]")).isEmpty();
        assertThat(ProviderError.parse(json, "{\"foo\":1}")).isEmpty();
    }
}
