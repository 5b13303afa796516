package io.inferenceworker.serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} that remembers every answer of its delegate, so that after warm-up a
 * serializer or deserializer makes no registry request per record:
 * <ul>
 *   <li>id → schema (also filled by register, lookup and latest, whose answers reveal the pair);</li>
 *   <li>(subject, schema) → id, from register and lookup (schemas compare structurally, so a new but equal
 *       Schema object still hits);</li>
 *   <li>subject → latest version, for {@code latest.ttl} (default: for ever).</li>
 * </ul>
 * Failures are not cached: the next call asks again. Each cache holds at most {@code capacity} entries
 * ({@code max.schemas.per.subject}, default 1000).
 *
 * <p>Thread-safe; threads missing the same key at once share one registry request ({@link SingleFlight}).
 * {@link #close()} closes the delegate.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Fetched(RegisteredSchema latest, Instant at) {
    }

    private final SchemaRegistryClient delegate;
    private final Optional<Duration> latestTtl;
    private final Clock clock;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final BoundedCache<String, Fetched> latestBySubject;
    private final SingleFlight<Object> inFlight = new SingleFlight<>();

    /** Caches {@code delegate} with {@code capacity} entries per cache and the latest versions for ever. */
    public CachedSchemaRegistryClient(SchemaRegistryClient delegate, int capacity) {
        this(delegate, capacity, Optional.empty(), Clock.systemUTC());
    }

    /**
     * @param latestTtl how long a latest version is trusted; empty for ever
     * @param clock     the time source for {@code latestTtl}
     */
    public CachedSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Optional<Duration> latestTtl,
                                      Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.latestTtl = Objects.requireNonNull(latestTtl, "latestTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schemasById = new BoundedCache<>(capacity);
        this.idsBySubjectSchema = new BoundedCache<>(capacity);
        this.latestBySubject = new BoundedCache<>(capacity);
    }

    /** A cached REST client for the registry {@code config} names. */
    public static CachedSchemaRegistryClient of(AvroSerdeConfig config) {
        return new CachedSchemaRegistryClient(new RestSchemaRegistryClient(config), config.maxSchemasPerSubject(),
                config.latestCacheTtl(), Clock.systemUTC());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(Objects.requireNonNull(subject, "subject"),
                Objects.requireNonNull(schema, "schema"));
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = inFlight.<Integer>call(List.of("register", key), () -> delegate.register(subject, schema));
        remember(key, id);
        return id;
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(Objects.requireNonNull(subject, "subject"),
                Objects.requireNonNull(schema, "schema"));
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = inFlight.<Integer>call(List.of("lookup", key), () -> delegate.lookupId(subject, schema));
        remember(key, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = inFlight.call(List.of("id", id), () -> delegate.getById(id));
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Objects.requireNonNull(subject, "subject");
        Fetched cached = latestBySubject.get(subject);
        Instant now = clock.instant();
        if (cached != null && latestTtl.map(ttl -> now.isBefore(cached.at().plus(ttl))).orElse(true)) {
            return cached.latest();
        }
        RegisteredSchema latest = delegate.latest(subject);
        latestBySubject.put(subject, new Fetched(latest, now));
        remember(new SubjectSchema(subject, latest.schema()), latest.id());
        return latest;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachedSchemaRegistryClient[" + delegate + "]";
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        if (schemasById.get(id) == null) {
            schemasById.put(id, key.schema());
        }
    }
}
