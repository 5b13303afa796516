package io.inferenceworker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code schemas}: the topics' Avro schemas for producers and consumers outside this CLI: {@code schemas register}
 * for registries that refuse automatic registration, {@code schemas print} for the self-contained schema of a record.
 */
@Command(name = "schemas", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        subcommands = {SchemasRegisterCommand.class, SchemasPrintCommand.class},
        description = {"Registers or prints the Avro schemas of the worker's topics.",
                "Each top-level record's schema is self-contained (every named type inlined): the same schema the "
                        + "Java serializer registers, and the files shipped in the schemas jar under "
                        + "self-contained/<Record>.avsc."},
        footer = {"%nExamples:", "  producer-example schemas register",
                "  producer-example schemas register --topics requests,vote-requests",
                "  producer-example schemas print CompletionRequest > CompletionRequest.avsc"})
final class SchemasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: register or print");
    }
}
