package io.inferenceworker.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The live heap of a JVM by class, from {@code jcmd <pid> GC.class_histogram} (taken after a full GC).
 *
 * @param totalBytes     all live objects
 * @param totalInstances all live instances
 * @param top            the largest classes, largest first (at most {@value #TOP})
 */
record HeapHistogram(long totalBytes, long totalInstances, List<Entry> top) {
    static final int TOP = 15;

    /** One class: its instances and their shallow size. */
    record Entry(String className, long instances, long bytes) {
    }

    static HeapHistogram parse(String text) {
        List<Entry> entries = new ArrayList<>();
        long totalBytes = 0;
        long totalInstances = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Total")) {
                totalInstances = Long.parseLong(f[1]);
                totalBytes = Long.parseLong(f[2]);
            } else if (f.length >= 4 && f[0].endsWith(":") && entries.size() < TOP) {
                entries.add(new Entry(f[3], Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return new HeapHistogram(totalBytes, totalInstances, List.copyOf(entries));
    }
}
