package io.inferenceworker.testkit;

/**
 * A refusal of the registry double, carrying the HTTP status and the Confluent {@code error_code} it is
 * answered with ({@code {"error_code": ..., "message": ...}}).
 */
final class SchemaRegistryError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    private SchemaRegistryError(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static SchemaRegistryError subjectNotFound(String subject) {
        return new SchemaRegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static SchemaRegistryError versionNotFound(String subject, String version) {
        return new SchemaRegistryError(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static SchemaRegistryError schemaIdNotFound(int id) {
        return new SchemaRegistryError(404, 40403, "Schema " + id + " not found");
    }

    static SchemaRegistryError schemaNotUnderSubject(String subject) {
        return new SchemaRegistryError(404, 40403, "Schema not found under subject '" + subject + "'");
    }

    static SchemaRegistryError subjectLevelNotConfigured(String subject) {
        return new SchemaRegistryError(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static SchemaRegistryError incompatible(String subject, String level) {
        return new SchemaRegistryError(409, 409,
                "Schema being registered is incompatible with an earlier schema for subject '" + subject
                        + "' (compatibility level " + level + ")");
    }

    static SchemaRegistryError invalidSchema(String reason) {
        return new SchemaRegistryError(422, 42201, "Invalid schema: " + reason);
    }

    static SchemaRegistryError invalidVersion(String version) {
        return new SchemaRegistryError(422, 42202,
                "The specified version '" + version + "' is not a valid version id. "
                        + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static SchemaRegistryError invalidCompatibilityLevel(String level) {
        return new SchemaRegistryError(422, 42203, "Invalid compatibility level: " + level);
    }

    static SchemaRegistryError badRequest(String reason) {
        return new SchemaRegistryError(400, 400, reason);
    }

    static SchemaRegistryError notFound(String path) {
        return new SchemaRegistryError(404, 404, "HTTP 404 Not Found: " + path);
    }

    static SchemaRegistryError methodNotAllowed(String method) {
        return new SchemaRegistryError(405, 405, "HTTP 405 Method Not Allowed: " + method);
    }

    static SchemaRegistryError unauthorized() {
        return new SchemaRegistryError(401, 401, "Unauthorized");
    }

    static SchemaRegistryError unavailable() {
        return new SchemaRegistryError(503, 50003, "Schema registry is unavailable (test outage)");
    }
}
