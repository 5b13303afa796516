package io.inferenceworker.cli;

/** Placeholder until the producer-example issue lands. */
public final class ProducerExample {
    private ProducerExample() {
    }

    public static void main(String[] args) {
        System.out.println("producer-example: not yet implemented");
    }
}
