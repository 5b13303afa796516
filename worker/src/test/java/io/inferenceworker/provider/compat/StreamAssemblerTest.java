package io.inferenceworker.provider.compat;

import io.inferenceworker.provider.ChatFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.provider.ChatReply;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferenceworker.provider.ChatFixtures.RecordingSink;
import io.inferenceworker.provider.compat.OpenAiJson.ChatChunk;
import io.inferenceworker.schemas.Choice;
import io.inferenceworker.schemas.ToolCall;
import io.inferenceworker.schemas.Usage;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
    private final ObjectMapper json = OpenAiJson.newMapper();
    private final RecordingSink sink = new RecordingSink();
    private final StreamAssembler assembler = new StreamAssembler(sink);

    private void feed(String chunk) throws Exception {
        assembler.accept(json.readValue(chunk, ChatChunk.class));
    }

    @Test
    void mergesContentReasoningAndUsage() throws Exception {
        feed("{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
        feed("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think \"}}]}");
        feed("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"more\"}}]}");
        feed("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}");
        feed("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}");
        feed("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        feed("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":1}}}");

        ChatReply reply = assembler.reply("req-1", "asked");
        assertThat(reply.responseId()).isEqualTo("c1");
        assertThat(reply.model()).isEqualTo("m");
        assertThat(reply.providerRequestId()).isEqualTo("req-1");
        Choice choice = reply.choices().get(0);
        assertThat(choice.getContent()).isEqualTo("Hello");
        assertThat(choice.getReasoningContent()).isEqualTo("think more");
        assertThat(choice.getRole()).isEqualTo("assistant");
        assertThat(choice.getFinishReason()).isEqualTo("stop");
        assertThat(choice.getToolCalls()).isNull();
        assertThat(reply.usage()).isEqualTo(new Usage(3, 4, 7, 1, 2, null));
        assertThat(sink.deltas()).hasSize(6);
        assertThat(sink.content(0)).isEqualTo("Hello");
        assertThat(sink.deltas().get(5).finishReason()).isEqualTo("stop");
    }

    @Test
    void mergesToolCallFragmentsByIndex() throws Exception {
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":["
                + "{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}},"
                + "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\"\"}}]}}]}");
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}");
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\":\\\"UTC\\\"}\"}}]}}]}");
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\" \\\"Paris\\\"}\"}}]}}]}");
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");

        Choice choice = assembler.reply(null, "m").choices().get(0);
        assertThat(choice.getContent()).isNull();
        assertThat(choice.getToolCalls()).containsExactly(
                new ToolCall("call_a", "function", "get_weather", "{\"city\": \"Paris\"}"),
                new ToolCall("call_b", "function", "get_time", "{\"tz\":\"UTC\"}"));
        assertThat(sink.deltas().get(0).toolCalls()).hasSize(2);
        assertThat(sink.deltas().get(1).toolCalls().get(0).getArgumentsDelta()).isEqualTo("{\"city\":");
    }

    @Test
    void fragmentsWithoutIndexFollowTheirIds() throws Exception {
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"y\",\"function\":{\"name\":\"g\",\"arguments\":\"{\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"}\"}}]}}]}");
        assertThat(assembler.reply(null, "m").choices().get(0).getToolCalls()).containsExactly(
                new ToolCall("x", "function", "f", "{}"), new ToolCall("y", "function", "g", "{}"));
    }

    /** Vultr: no index and no id; a fragment with a function name starts a new call, it never joins the last. */
    @Test
    void fragmentsWithoutIndexOrIdAreNeverMergedIntoOneCall() throws Exception {
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"g\",\"arguments\":\"{\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"}\"}}]}}]}");
        assertThat(assembler.reply(null, "m").choices().get(0).getToolCalls()).containsExactly(
                new ToolCall(null, "function", "f", "{\"a\":1}"), new ToolCall(null, "function", "g", "{}"));
        assertThat(sink.deltas()).extracting(d -> d.toolCalls().getFirst().getIndex()).containsExactly(0, 0, 1, 1);
    }

    /** An id in one fragment and the name in the next still make one call. */
    @Test
    void nameAfterAnIdCompletesThatCall() throws Exception {
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"x\",\"type\":\"function\"}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
        assertThat(assembler.reply(null, "m").choices().get(0).getToolCalls()).containsExactly(
                new ToolCall("x", "function", "f", "{}"));
    }

    @Test
    void keepsStopReasonAndSystemFingerprint() throws Exception {
        feed("{\"id\":\"c\",\"system_fingerprint\":\"fp_1\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}");
        feed("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\","
                + "\"stop_reason\":128009}]}");
        ChatReply reply = assembler.reply(null, "m");
        assertThat(reply.systemFingerprint()).isEqualTo("fp_1");
        assertThat(reply.choices().get(0).getStopReason()).isEqualTo("128009");
    }

    @Test
    void keepsChoicesApartAndConcatenatesLogprobs() throws Exception {
        feed("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"},\"logprobs\":{\"content\":[{\"token\":\"B\",\"logprob\":-0.1}]}}]}");
        feed("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"logprobs\":{\"content\":[{\"token\":\"A\",\"logprob\":-0.2}]}}]}");
        feed("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"},\"logprobs\":{\"content\":[{\"token\":\"b\",\"logprob\":-0.3}]}}]}");
        ChatReply reply = assembler.reply(null, "m");
        assertThat(reply.choices()).extracting(Choice::getIndex).containsExactly(0, 1);
        assertThat(reply.choices()).extracting(Choice::getContent).containsExactly("A", "Bb");
        assertThat(json.readTree(reply.choices().get(1).getLogprobs()).path("content")).hasSize(2);
        assertThat(reply.usage()).isNull();
    }
}
