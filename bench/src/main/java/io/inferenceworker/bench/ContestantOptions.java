package io.inferenceworker.bench;

import java.net.URI;
import picocli.CommandLine.Option;

/** The command-line options every forked contestant takes (picocli mixin): where the stack and its topics are. */
final class ContestantOptions {
    @Option(names = "--bootstrap-servers", required = true)
    String bootstrapServers;
    @Option(names = "--registry-url", required = true)
    String registryUrl;
    @Option(names = "--requests", required = true)
    String requestsTopic;
    @Option(names = "--results", required = true)
    String resultsTopic;
    @Option(names = "--group", required = true)
    String group;
    @Option(names = "--provider-url", required = true, description = "OpenAI-compatible base URL")
    URI providerUrl;
}
