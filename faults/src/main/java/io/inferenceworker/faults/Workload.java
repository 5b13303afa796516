package io.inferenceworker.faults;

import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.schemas.Message;
import io.inferenceworker.schemas.Role;
import io.inferenceworker.serde.KafkaAvroSerializer;
import io.inferenceworker.testkit.sim.Behaviour;
import io.inferenceworker.testkit.sim.ProviderSimulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The jobs of one scenario: {@code CompletionRequest}s in the Confluent wire format (schema registered in the
 * embedded registry), job IDs {@code <run>-<seq>}, each with its own model and {@link JobFault}; poison records
 * (values no decoder accepts: no magic byte, or a schema ID the registry never issued) spread among them; optionally
 * one oversize job whose prompt is just under {@code worker.max-prompt-bytes} and whose answer is as large, so that
 * neither its result nor a dead letter with its original value fits the producer's {@code max.request.size}; and
 * optionally a second provider instance ({@value #DOWN_PROVIDER}) that every other job goes to. Immutable.
 */
final class Workload {
    static final String PROVIDER = "sim";
    static final String DOWN_PROVIDER = "down";
    /** Just under the worker's default {@code worker.max-prompt-bytes} (1 MiB), as in the measured case. */
    static final int OVERSIZE_PROMPT_BYTES = 1_048_400;
    private static final long SEND_TIMEOUT_SECONDS = 120;

    /** One job: its ID (also its key and model), provider instance and fault. */
    record Job(String id, String provider, JobFault fault) {
    }

    /** Where a record of the workload landed in the request topic. */
    record TopicPartitionOffset(int partition, long offset) {
    }

    private final Map<String, Job> jobs;
    private final List<String> poisonKeys;
    private final String oversizeJob;

    private Workload(Map<String, Job> jobs, List<String> poisonKeys, String oversizeJob) {
        this.jobs = Collections.unmodifiableMap(jobs);
        this.poisonKeys = List.copyOf(poisonKeys);
        this.oversizeJob = oversizeJob;
    }

    /**
     * Plans {@code count} jobs and {@code poison} poison records for run {@code run}; with {@code splitProviders}
     * every odd job goes to {@value #DOWN_PROVIDER} (and has no fault of its own) and the healthy provider's 503s
     * become 429s (its own circuit breaker, which counts 503s, then stays closed and the scenario measures what the
     * other instance's outage does to it: in one run its breaker opened on its own 503s with the outage), with
     * {@code oversize} one more job is the oversize one.
     */
    static Workload plan(String run, int count, int poison, boolean splitProviders, boolean oversize) {
        Map<String, Job> jobs = new LinkedHashMap<>();
        for (int seq = 0; seq < count; seq++) {
            String id = run + "-" + seq;
            boolean down = splitProviders && seq % 2 == 1;
            JobFault fault = down ? JobFault.NONE
                    : splitProviders ? JobFault.forSequence(seq).withoutOutage() : JobFault.forSequence(seq);
            jobs.put(id, new Job(id, down ? DOWN_PROVIDER : PROVIDER, fault));
        }
        String oversizeJob = null;
        if (oversize) {
            oversizeJob = run + "-oversize";
            jobs.put(oversizeJob, new Job(oversizeJob, PROVIDER, JobFault.NONE));
        }
        List<String> poisonKeys = new ArrayList<>();
        for (int i = 0; i < poison; i++) {
            poisonKeys.add(run + "-poison-" + i);
        }
        return new Workload(jobs, poisonKeys, oversizeJob);
    }

    Map<String, Job> jobs() {
        return jobs;
    }

    Set<String> jobIds() {
        return jobs.keySet();
    }

    List<String> poisonKeys() {
        return poisonKeys;
    }

    /** The jobs that go to {@value #DOWN_PROVIDER}. */
    List<Job> downJobs() {
        return jobs.values().stream().filter(j -> j.provider().equals(DOWN_PROVIDER)).toList();
    }

    /** Programs the simulator: each job's fault, the down provider's jobs as {@code down}, the oversize answer. */
    void program(ProviderSimulator simulator, Behaviour down) {
        for (Job job : jobs.values()) {
            if (job.provider().equals(DOWN_PROVIDER)) {
                simulator.onModel(job.id(), down);
            } else if (job.fault() != JobFault.NONE) {
                simulator.onModel(job.id(), job.fault().behaviours().toArray(Behaviour[]::new));
            }
        }
        if (oversizeJob != null) {
            simulator.onModel(oversizeJob, Behaviour.ok(text(OVERSIZE_PROMPT_BYTES)));
        }
    }

    /**
     * Produces every job and poison record to {@code topic}, returns once Kafka acknowledged all of them, with the
     * partition and offset of each, by key.
     */
    Map<String, TopicPartitionOffset> produce(String bootstrapServers, String registryUrl, String topic)
            throws InterruptedException {
        // Not idempotent, one request in flight: after the broker-restart scenario the restarted StandaloneKafka
        // answered a new idempotent producer's first batches with OutOfOrderSequence for ever (producer ID 1000 again);
        // without idempotence a retry could duplicate a request, which ScenarioRun checks for (end offsets).
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        int poisonEvery = Math.max(1, jobs.size() / Math.max(1, poisonKeys.size() + 1));
        Map<String, Future<RecordMetadata>> sends = new LinkedHashMap<>();
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            int n = 0;
            int poisonSent = 0;
            for (Job job : jobs.values()) {
                String prompt = job.id().equals(oversizeJob) ? text(OVERSIZE_PROMPT_BYTES) : "Say hi to " + job.id();
                sends.put(job.id(), producer.send(new ProducerRecord<>(topic, bytes(job.id()),
                        serializer.serialize(topic, request(job, prompt)))));
                if (++n % poisonEvery == 0 && poisonSent < poisonKeys.size()) {
                    String key = poisonKeys.get(poisonSent);
                    sends.put(key, producer.send(new ProducerRecord<>(topic, bytes(key), poisonValue(poisonSent))));
                    poisonSent++;
                }
            }
            for (; poisonSent < poisonKeys.size(); poisonSent++) {
                sends.put(poisonKeys.get(poisonSent), producer.send(new ProducerRecord<>(topic,
                        bytes(poisonKeys.get(poisonSent)),
                        poisonValue(poisonSent))));
            }
            producer.flush();
            Map<String, TopicPartitionOffset> positions = new HashMap<>();
            for (Map.Entry<String, Future<RecordMetadata>> send : sends.entrySet()) {
                RecordMetadata m = send.getValue().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                positions.put(send.getKey(), new TopicPartitionOffset(m.partition(), m.offset()));
            }
            return Map.copyOf(positions);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce the workload to " + topic, e);
        }
    }

    private static CompletionRequest request(Job job, String prompt) {
        return CompletionRequest.newBuilder()
                .setJobId(job.id())
                .setProvider(job.provider())
                .setModel(job.id())
                .setMessages(List.of(Message.newBuilder().setRole(Role.USER).setContent(prompt).build()))
                .build();
    }

    /** Undecodable: even ones have no magic byte, odd ones name a schema ID the registry never issued. */
    private static byte[] poisonValue(int i) {
        if (i % 2 == 0) {
            return bytes("poison " + i + ": not Avro in the wire format");
        }
        return new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2, 3};
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code size} ASCII characters of words. */
    static String text(int size) {
        String words = "the worker keeps every job until Kafka has every output of it ";
        StringBuilder text = new StringBuilder(size + words.length());
        while (text.length() < size) {
            text.append(words);
        }
        text.setLength(size);
        return text.toString();
    }
}
