/**
 * Kafka serializers and deserializers for Avro in the Confluent Schema Registry wire format, with the
 * registry client they need.
 *
 * <p><b>Why it exists.</b> Confluent's {@code kafka-avro-serializer} is not on Maven Central. This package
 * implements the same format and honours Confluent's configuration keys ({@link AvroSerdeConfig}), so that
 * users who have Confluent's jars can swap the classes by configuration alone, in either direction.
 *
 * <p><b>Wire format.</b> Magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the Avro binary
 * encoding of the datum. Subjects follow Confluent's TopicNameStrategy: {@code <topic>-value} and
 * {@code <topic>-key} (other strategies are refused at configuration time).
 *
 * <p><b>What lives here.</b>
 * <ul>
 *   <li>{@link KafkaAvroSerializer}, {@link KafkaAvroDeserializer}:
 *       any Avro value; GenericRecord by default, generated classes with {@code specific.avro.reader=true}.</li>
 *   <li>{@link SpecificAvroSerializer}, {@link SpecificAvroDeserializer},
 *       {@link SpecificAvroSerde}: typed for generated classes; the deserializer
 *       constructed with a class resolves every writer version to that class's schema.</li>
 *   <li>{@link SchemaRegistryClient} with {@link RestSchemaRegistryClient}
 *       (HTTP, Basic/bearer authentication, TLS, URL failover) and
 *       {@link CachedSchemaRegistryClient} (no registry request per record after
 *       warm-up).</li>
 *   <li>The sealed {@link SerdeException} hierarchy.</li>
 * </ul>
 *
 * <p><b>Schema evolution.</b> The serializer writes with the value's own schema (registered automatically by
 * default), or with the subject's latest schema ({@code use.latest.version} with
 * {@code auto.register.schemas=false}). The deserializer always reads with the writer's schema, fetched by id, resolved
 * against the reader's schema (the writer's own, a generated class's, or one passed in), so records of older and
 * newer producers coexist on a topic.
 *
 * <p><b>Errors.</b> Dead-letter a record only on {@link PoisonRecordException}
 * (bad magic byte, unknown schema id, undecodable bytes, incompatible writer schema). A
 * {@link RegistryUnavailableException} is transient: retry, never dead-letter.
 * Access and request errors are configuration or contract problems. Messages never contain credentials or
 * payload bytes; registry URLs are printed without user info.
 *
 * <p><b>Robustness.</b> Whatever lengths a corrupt record announces, decoding never allocates more than the
 * record's own size for strings, bytes and map entries, nor pre-sizes an array or map beyond 1024 slots;
 * bytes left after the datum make the record undecodable.
 *
 * <p><b>Not supported</b> (refused clearly): subject name strategies other than TopicNameStrategy,
 * {@code basic.auth.credentials.source=SASL_INHERIT}, bearer sources other than STATIC_TOKEN, non-Avro schemas
 * and schema references. The serde does not retry registry calls: retry policy belongs to the caller.
 *
 * <p><b>Threading and defaults.</b> Serializers, deserializers and clients are thread-safe once configured
 * (Kafka calls {@code configure} right after the no-arg constructor). Defaults: auto-register on, latest
 * version off, generic reader, URL-sourced Basic credentials (none if the URL carries none), 60 s connect and
 * read timeouts, caches of 1000 entries.
 */
package io.inferenceworker.serde;
