package io.inferenceworker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a forked worker spent its CPU, from its flight recording: the hottest methods (top frame of
 * {@code jdk.ExecutionSample}), the share of samples with a frame in each library (inclusive), and the GC's pause
 * time. Stateless; {@link #of(Path)} reads the whole recording.
 *
 * @param samples      execution samples in the recording
 * @param topMethods   top-frame method → samples, hottest first (at most {@value #TOP})
 * @param libraries    library (package prefix) → samples with at least one frame in it, largest first
 * @param selfByLibrary library → samples whose innermost frame in any listed library is in it ("other": none is),
 *                     largest first: where the CPU is spent, JDK code called by a library counted as the library's
 * @param gcPause      total GC pause time
 * @param gcCount      garbage collections
 * @param maxHeapAfterGc the most heap still in use right after a GC (what the jobs really hold), in bytes
 */
record JfrSummary(int samples, Map<String, Integer> topMethods, Map<String, Integer> libraries,
                  Map<String, Integer> selfByLibrary, Duration gcPause, int gcCount, long maxHeapAfterGc) {
    static final int TOP = 15;

    /** Package prefixes reported as libraries, in the order they are tested (first match names the frame). */
    private static final List<String> LIBRARIES = List.of(
            "io.inferenceworker.", "org.apache.kafka.", "org.apache.avro.", "com.fasterxml.jackson.",
            "ch.qos.logback.", "org.slf4j.", "io.micronaut.", "io.netty.", "io.micrometer.", "dev.failsafe.",
            "io.github.resilience4j.", "jdk.internal.net.http.", "java.net.http.", "sun.nio.ch.",
            "java.util.concurrent.", "net.jpountz.lz4.", "java.util.zip.");

    /**
     * Not named as the innermost library: the JDK's concurrency and socket code runs under every library, so its
     * time goes to the library that called it.
     */
    private static final Set<String> SELF_SKIPPED = Set.of("java.util.concurrent.", "sun.nio.ch.", "java.util.zip.");

    static JfrSummary of(Path recording) throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> libs = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        long gcNanos = 0;
        int gcs = 0;
        long afterGc = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
          while (file.hasMoreEvents()) {
            RecordedEvent e = file.readEvent();
            String type = e.getEventType().getName();
            if (type.equals("jdk.GCHeapSummary") && "After GC".equals(e.getString("when"))) {
                afterGc = Math.max(afterGc, e.getLong("heapUsed"));
            } else if (type.equals("jdk.GarbageCollection")) {
                gcs++;
                gcNanos += e.getDuration("sumOfPauses").toNanos();
            } else if (type.equals("jdk.ExecutionSample")) {
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                top.merge(name(stack.getFrames().getFirst()), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                String innermost = null;
                for (RecordedFrame f : stack.getFrames()) {
                    String cls = f.getMethod().getType().getName();
                    for (String lib : LIBRARIES) {
                        if (cls.startsWith(lib)) {
                            String name = lib.substring(0, lib.length() - 1);
                            seen.add(name);
                            if (innermost == null && !SELF_SKIPPED.contains(lib)) {
                                innermost = name;
                            }
                            break;
                        }
                    }
                }
                seen.forEach(lib -> libs.merge(lib, 1, Integer::sum));
                self.merge(innermost == null ? "other" : innermost, 1, Integer::sum);
            }
          }
        }
        return new JfrSummary(samples, largest(top, TOP), largest(libs, LIBRARIES.size()),
                largest(self, LIBRARIES.size() + 1), Duration.ofNanos(gcNanos), gcs, afterGc);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Integer> largest(Map<String, Integer> counts, int limit) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }
}
