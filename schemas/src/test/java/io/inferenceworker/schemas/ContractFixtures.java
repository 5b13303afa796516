package io.inferenceworker.schemas;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Fully populated instances of the top-level contracts: every field of every record type they contain is set
 * at least once, and every union branch in use (message content as text and as parts) occurs, so that a
 * round trip exercises the whole schema. {@link SchemaContractTest} checks that no field was forgotten.
 * Combinations need not make business sense (a result may carry both choices and an error).
 */
final class ContractFixtures {

    private static final Instant SUBMITTED = Instant.parse("2025-11-23T09:00:00.123Z");
    private static final Map<String, String> METADATA = Map.of("trace", "abc-123", "origin", "unit-test");

    private ContractFixtures() {
    }

    static CompletionRequest completionRequest() {
        return CompletionRequest.newBuilder()
                .setJobId("job-1")
                .setProvider("vultr-main")
                .setModel("llama-3.3-70b")
                .setMessages(List.of(
                        Message.newBuilder()
                                .setRole(Role.SYSTEM)
                                .setContent("You are terse.")
                                .setName("policy")
                                .build(),
                        Message.newBuilder()
                                .setRole(Role.USER)
                                .setContent(List.of(
                                        ContentPart.newBuilder().setText("What is in this picture?").build(),
                                        ContentPart.newBuilder()
                                                .setType(ContentPartType.IMAGE_URL)
                                                .setUrl("data:image/png;base64,iVBORw0KGgo=")
                                                .setDetail("high")
                                                .build()))
                                .build(),
                        Message.newBuilder()
                                .setRole(Role.ASSISTANT)
                                .setContent(null)
                                .setReasoningContent("The user wants the weather; call the tool.")
                                .setToolCalls(List.of(toolCall()))
                                .build(),
                        Message.newBuilder()
                                .setRole(Role.TOOL)
                                .setToolCallId("call-1")
                                .setContent("{\"temperature_c\": 11}")
                                .build()))
                .setMaxTokens(256)
                .setTemperature(0.2)
                .setTopP(0.9)
                .setTopK(40)
                .setSeed(42L)
                .setStop(List.of("\n\n", "END"))
                .setN(2)
                .setFrequencyPenalty(0.5)
                .setPresencePenalty(-0.5)
                .setLogprobs(true)
                .setTopLogprobs(3)
                .setLogitBias(Map.of("50256", -100, "13", 5))
                .setResponseFormat(ResponseFormat.newBuilder()
                        .setType(ResponseFormatType.JSON_SCHEMA)
                        .setJsonSchema("{\"name\":\"answer\",\"schema\":{\"type\":\"object\"},\"strict\":true}")
                        .build())
                .setTools(List.of(Tool.newBuilder()
                        .setName("get_weather")
                        .setDescription("Current weather of a city")
                        .setParameters("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")
                        .setStrict(true)
                        .build()))
                .setToolChoice(ToolChoice.newBuilder()
                        .setMode(ToolChoiceMode.FUNCTION)
                        .setFunctionName("get_weather")
                        .build())
                .setChatTemplateKwargs("{\"enable_thinking\":false}")
                .setRagCollection("handbook")
                .setAssetIds(List.of("0b4f2e6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b"))
                .setStream(true)
                .setDeadline(SUBMITTED.plusSeconds(600))
                .setTenant("acme")
                .setResultsTopic("team-acme.inference.results")
                .setUsageTopic("team-acme.inference.usage")
                .setChunksTopic("team-acme.inference.chunks")
                .setMetadata(METADATA)
                .setSubmittedAt(SUBMITTED)
                .build();
    }

    static CompletionResult completionResult() {
        return CompletionResult.newBuilder()
                .setJobId("job-1")
                .setStatus(CompletionStatus.SUCCEEDED)
                .setProvider("vultr-main")
                .setModel("llama-3.3-70b")
                .setResponseId("chatcmpl-9")
                .setProviderRequestId("req-77")
                .setChoices(List.of(
                        Choice.newBuilder()
                                .setIndex(0)
                                .setRole("assistant")
                                .setContent("Eleven degrees.")
                                .setReasoningContent("Read the tool output.")
                                .setFinishReason("stop")
                                .setLogprobs("{\"content\":[{\"token\":\"Eleven\",\"logprob\":-0.01}]}")
                                .setStopReason("</answer>")
                                .build(),
                        Choice.newBuilder()
                                .setIndex(1)
                                .setRole("assistant")
                                .setToolCalls(List.of(toolCall()))
                                .setFinishReason("tool_calls")
                                .build()))
                .setUsage(Usage.newBuilder()
                        .setPromptTokens(120)
                        .setCompletionTokens(30)
                        .setTotalTokens(150)
                        .setReasoningTokens(12)
                        .setCachedTokens(64)
                        .setEstimated(false)
                        .build())
                .setError(ErrorInfo.newBuilder()
                        .setCode("rate_limited")
                        .setMessage("first attempt was rate limited")
                        .setHttpStatus(429)
                        .setRetryable(true)
                        .setProviderRequestId("req-76")
                        .build())
                .setAttempts(2)
                .setTimings(Timings.newBuilder().setQueuedMs(15).setProviderLatencyMs(820).setTotalMs(1_900).build())
                .setWorkerId("worker-a")
                .setMetadata(METADATA)
                .setCompletedAt(SUBMITTED.plusMillis(1_900))
                .setStreamAttempt(2)
                .setSystemFingerprint("fp_44709d6fcb")
                .setRoute("chat")
                .setHops(List.of(
                        RouteHop.newBuilder().setProvider("vultr-main").setModel("llama-3.3-70b")
                                .setStatus(CompletionStatus.FAILED).setAttempts(0).setErrorCode("circuit_open").build(),
                        RouteHop.newBuilder().setProvider("nscale").setModel(null)
                                .setStatus(CompletionStatus.SUCCEEDED).setAttempts(2).setErrorCode(null).build()))
                .build();
    }

    static CompletionChunk completionChunk() {
        return CompletionChunk.newBuilder()
                .setJobId("job-1")
                .setAttempt(2)
                .setSequence(7L)
                .setChoiceIndex(1)
                .setRole("assistant")
                .setContentDelta("Elev")
                .setReasoningDelta("Read the")
                .setToolCallDeltas(List.of(ToolCallDelta.newBuilder()
                        .setIndex(0)
                        .setId("call-1")
                        .setType("function")
                        .setName("get_weather")
                        .setArgumentsDelta("{\"ci")
                        .build()))
                .setFinishReason("tool_calls")
                .setLast(true)
                .setCreatedAt(SUBMITTED.plusMillis(300))
                .setMetadata(METADATA)
                .build();
    }

    static UsageRecord usageRecord() {
        return UsageRecord.newBuilder()
                .setJobId("job-1")
                .setTenant("acme")
                .setProvider("vultr-main")
                .setModel("llama-3.3-70b")
                .setPromptTokens(120)
                .setCompletionTokens(30)
                .setTotalTokens(150)
                .setReasoningTokens(12)
                .setCachedTokens(64)
                .setEstimated(true)
                .setAttempts(2)
                .setLatencyMs(820L)
                .setEstimatedCost(0.00042)
                .setCurrency("USD")
                .setMetadata(METADATA)
                .setRecordedAt(SUBMITTED.plusMillis(1_901))
                .build();
    }

    static VoteRequest voteRequest() {
        return VoteRequest.newBuilder()
                .setJobId("job-1")
                .setVote(Vote.DOWN)
                .setComment("Wrong city.")
                .setVoter("user-9")
                .setVotedAt(SUBMITTED.plusSeconds(60))
                .setMetadata(METADATA)
                .build();
    }

    static VoteRecord voteRecord() {
        return VoteRecord.newBuilder()
                .setJobId("job-1")
                .setVote(Vote.DOWN)
                .setComment("Wrong city.")
                .setVoter("user-9")
                .setProvider("vultr-main")
                .setModel("llama-3.3-70b")
                .setResponseId("chatcmpl-9")
                .setJobStatus(CompletionStatus.SUCCEEDED)
                .setForwarded(false)
                .setForwardStatus(ForwardStatus.NOT_SUPPORTED)
                .setForwardDetail("provider has no feedback API")
                .setForwardAttempts(0)
                .setVotedAt(SUBMITTED.plusSeconds(60))
                .setRecordedAt(SUBMITTED.plusSeconds(61))
                .setMetadata(METADATA)
                .build();
    }

    private static ToolCall toolCall() {
        return ToolCall.newBuilder()
                .setId("call-1")
                .setName("get_weather")
                .setArguments("{\"city\":\"Zurich\"}")
                .build();
    }
}
