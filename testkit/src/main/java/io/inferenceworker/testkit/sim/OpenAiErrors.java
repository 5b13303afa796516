package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Error bodies of the OpenAI family: OpenAI's own ({@code type}/{@code code} strings) and vLLM's two shapes. */
final class OpenAiErrors {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiErrors() {
    }

    /** OpenAI's {@code {"error":{"message","type","param","code"}}} with OpenAI's type and code strings. */
    static ObjectNode openAi(ErrorSpec error) {
        String type;
        String code = null;
        switch (error.reason()) {
            case UNAUTHORIZED -> {
                type = "invalid_request_error";
                code = "invalid_api_key";
            }
            case RATE_LIMITED -> {
                type = "requests";
                code = "rate_limit_exceeded";
            }
            case INSUFFICIENT_CREDIT -> {
                type = "insufficient_quota";
                code = "insufficient_quota";
            }
            case NOT_FOUND -> {
                type = "invalid_request_error";
                code = "not_found";
            }
            default -> type = error.status() >= 500 ? "server_error"
                    : error.status() == 429 ? "requests" : "invalid_request_error";
        }
        ObjectNode root = NODES.objectNode();
        ObjectNode body = root.putObject("error");
        body.put("message", error.message());
        body.put("type", type);
        body.put("param", error.param());
        body.put("code", code);
        return root;
    }

    /** vLLM's error, nested ({@code {"error":{…}}}) or flat ({@code {"object":"error",…}}); code = the status. */
    static ObjectNode vllm(ErrorSpec error, VllmErrorShape shape) {
        ObjectNode root = NODES.objectNode();
        ObjectNode body = shape == VllmErrorShape.FLAT ? root.put("object", "error") : root.putObject("error");
        body.put("message", error.message());
        body.put("type", vllmType(error));
        body.put("param", error.param());
        body.put("code", error.status());
        return root;
    }

    /** {@code BadRequestError}, {@code NotFoundError}, {@code InternalServerError}, … as vLLM names them. */
    private static String vllmType(ErrorSpec error) {
        if (error.reason() == ErrorSpec.Reason.INSUFFICIENT_CREDIT) {
            return "insufficient_credit";
        }
        String pascal = ErrorSpec.reasonPhrase(error.status()).replace(" ", "");
        return pascal.endsWith("Error") ? pascal : pascal + "Error";
    }
}
