/**
 * The Avro contracts of the inference worker's Kafka topics: Java classes generated at build time (Avro
 * {@code SpecificRecord}s) from the schemas in {@code src/main/avro}. Every record is keyed by its job ID.
 *
 * <ul>
 *   <li>{@link io.inferenceworker.schemas.CompletionRequest}: a chat completion job (request topic), with its
 *       {@link io.inferenceworker.schemas.Message}s, sampling parameters, tools and output format.</li>
 *   <li>{@link io.inferenceworker.schemas.CompletionResult}: the final outcome of a job, with its
 *       {@link io.inferenceworker.schemas.Choice}s, {@link io.inferenceworker.schemas.Usage} and
 *       {@link io.inferenceworker.schemas.ErrorInfo}.</li>
 *   <li>{@link io.inferenceworker.schemas.CompletionChunk}: partial output of a streamed job.</li>
 *   <li>{@link io.inferenceworker.schemas.UsageRecord}: token accounting of a job.</li>
 *   <li>{@link io.inferenceworker.schemas.VoteRequest}: a user's vote on a job's answer, and
 *       {@link io.inferenceworker.schemas.VoteRecord}: that vote joined with the job and the outcome of
 *       forwarding it to the provider.</li>
 * </ul>
 *
 * <p>Evolution rules, so that producers and consumers can upgrade independently (checked BACKWARD and FORWARD
 * against the previous release by the module's tests):
 * <ul>
 *   <li>only essential fields are required; every other field is a union with {@code null} first and default
 *       {@code null}, or has a default; new fields must too;</li>
 *   <li>enums have an enum-level default symbol that old readers use for symbols they do not know, except
 *       {@link io.inferenceworker.schemas.Vote}, where guessing would falsify a user's vote;</li>
 *   <li>instants are {@code timestamp-millis} ({@link java.time.Instant}); free-form JSON values (tool
 *       parameter schemas, logprobs, chat template arguments, response format JSON schemas) are JSON text
 *       strings, passed through verbatim.</li>
 * </ul>
 *
 * <p>Generated classes are mutable and not thread-safe; treat an instance as owned by one thread, or do not
 * change it after publishing it to others.
 */
package io.inferenceworker.schemas;
