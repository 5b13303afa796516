package io.inferenceworker.provider.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferenceworker.provider.ChatFixtures;
import io.inferenceworker.provider.ChatReply;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.compat.OpenAiJson.ChatCompletion;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import org.junit.jupiter.api.Test;

class OpenAiReplyMapperTest {
    private final ObjectMapper json = OpenAiJson.newMapper();

    private ChatReply map(String body) throws Exception {
        return OpenAiReplyMapper.toReply(json.readValue(body, ChatCompletion.class), "rid", "asked");
    }

    @Test
    void mapsChoicesInIndexOrderWithVerbatimArgumentsAndLogprobs() throws Exception {
        ChatReply reply = map("""
                {"id":"chatcmpl-9","object":"chat.completion","created":1,"model":"m","system_fingerprint":"x",
                 "choices":[
                   {"index":1,"message":{"role":"assistant","content":null,"tool_calls":[
                      {"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\": 1 }"}}]},
                    "finish_reason":"tool_calls","stop_reason":null,"logprobs":null},
                   {"index":0,"message":{"role":"assistant","content":"hi","reasoning_content":"because"},
                    "finish_reason":"stop","logprobs":{"content":[{"token":"hi","logprob":-0.5}]}}],
                 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,
                   "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":3}},
                 "prompt_logprobs":null}""");
        assertThat(reply.responseId()).isEqualTo("chatcmpl-9");
        assertThat(reply.providerRequestId()).isEqualTo("rid");
        assertThat(reply.choices()).extracting(Choice::getIndex).containsExactly(0, 1);
        Choice first = reply.choices().get(0);
        assertThat(first.getContent()).isEqualTo("hi");
        assertThat(first.getReasoningContent()).isEqualTo("because");
        assertThat(first.getLogprobs()).isEqualTo("{\"content\":[{\"token\":\"hi\",\"logprob\":-0.5}]}");
        Choice second = reply.choices().get(1);
        assertThat(second.getContent()).isNull();
        assertThat(second.getLogprobs()).isNull();
        assertThat(second.getToolCalls()).containsExactly(new ToolCall("call_1", "function", "f", "{\"a\": 1 }"));
        assertThat(reply.usage()).isEqualTo(new Usage(5, 7, 12, 3, 4, null));
    }

    @Test
    void keepsStopReasonAndSystemFingerprint() throws Exception {
        ChatReply reply = map("""
                {"id":"c","system_fingerprint":"fp_9","choices":[
                  {"index":0,"message":{"content":"a"},"finish_reason":"stop","stop_reason":"END"},
                  {"index":1,"message":{"content":"b"},"finish_reason":"stop","stop_reason":null}]}""");
        assertThat(reply.systemFingerprint()).isEqualTo("fp_9");
        assertThat(reply.choices()).extracting(Choice::getStopReason).containsExactly("END", null);
    }

    @Test
    void missingUsageIsEstimatedAndMarked() throws Exception {
        ChatReply reply = map("{\"choices\":[{\"message\":{\"content\":\"12345678\","
                + "\"reasoning_content\":\"abcd\"}}]}");
        assertThat(reply.usage()).isNull();
        CompletionRequest request = ChatFixtures.request("m", "0123456789").build();
        Usage usage = OpenAiReplyMapper.withEstimatedUsage(reply, request).usage();
        // 10 prompt bytes -> 3 tokens; 8 content bytes -> 2 tokens, plus 4 reasoning bytes -> 1 token.
        assertThat(usage).isEqualTo(new Usage(3, 3, 6, 1, null, true));
        ChatReply reported = map("{\"choices\":[{\"message\":{\"content\":\"a\"}}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
        assertThat(OpenAiReplyMapper.withEstimatedUsage(reported, request)).isSameAs(reported);
    }

    @Test
    void toleratesMissingOptionalMembers() throws Exception {
        ChatReply reply = map("{\"choices\":[{\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"text\",\"text\":\"b\"}],\"reasoning\":\"r\"}}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"prompt_tokens_details\":null}}");
        assertThat(reply.model()).isEqualTo("asked");
        assertThat(reply.responseId()).isNull();
        assertThat(reply.choices().get(0).getContent()).isEqualTo("ab");
        assertThat(reply.choices().get(0).getReasoningContent()).isEqualTo("r");
        assertThat(reply.usage()).isEqualTo(new Usage(1, 2, 3, null, null, null));
    }

    @Test
    void noChoicesIsMalformed() {
        assertThatThrownBy(() -> map("{\"id\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
    }
}
