package io.inferenceworker.testkit.sim;

/**
 * A dialect-neutral description of an error answer; each dialect renders it in its own body shape.
 *
 * @param param the offending request field, or {@code null}
 */
record ErrorSpec(int status, Reason reason, String message, String param) {

    /** Why the request failed; dialects derive their {@code type}/{@code code} strings from it. */
    enum Reason {
        UNAUTHORIZED, MALFORMED_BODY, INVALID_REQUEST, UNKNOWN_FIELD, NOT_FOUND, FORCED, RATE_LIMITED,
        INSUFFICIENT_CREDIT, STREAM_FAILURE
    }

    static ErrorSpec unauthorized() {
        return new ErrorSpec(401, Reason.UNAUTHORIZED, "Invalid or missing API key.", null);
    }

    static ErrorSpec malformedBody() {
        return new ErrorSpec(400, Reason.MALFORMED_BODY, "The request body is not a JSON object.", null);
    }

    static ErrorSpec invalid(int status, String message, String param) {
        return new ErrorSpec(status, Reason.INVALID_REQUEST, message, param);
    }

    static ErrorSpec notFound(String message) {
        return new ErrorSpec(404, Reason.NOT_FOUND, message, null);
    }

    static ErrorSpec forced(int status) {
        return new ErrorSpec(status, Reason.FORCED,
                "Simulated error: HTTP " + status + " (" + reasonPhrase(status) + ").", null);
    }

    static ErrorSpec rateLimited() {
        return new ErrorSpec(429, Reason.RATE_LIMITED, "Rate limit reached for requests. Please retry later.", null);
    }

    static ErrorSpec insufficientCredit() {
        return new ErrorSpec(429, Reason.INSUFFICIENT_CREDIT,
                "Insufficient credit: your account balance is too low for this request. Top up your credit to continue.",
                null);
    }

    static ErrorSpec streamFailure() {
        return new ErrorSpec(500, Reason.STREAM_FAILURE, "Simulated failure while generating the completion.", null);
    }

    /** The status's reason phrase, e.g. {@code Service Unavailable}. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Entity";
            case 425 -> "Too Early";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }

    /** The reason phrase in snake case, e.g. {@code service_unavailable}. */
    static String snakeReason(int status) {
        return reasonPhrase(status).toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
    }
}
