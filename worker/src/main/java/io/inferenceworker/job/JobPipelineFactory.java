package io.inferenceworker.job;

import io.inferenceworker.config.SchemaRegistrySettings;
import io.inferenceworker.config.WorkerSettings;
import io.inferenceworker.provider.registry.ProviderRegistry;
import io.inferenceworker.route.RouteTable;
import io.inferenceworker.tenancy.Tenants;
import io.inferenceworker.publish.DeadLetters;
import io.inferenceworker.publish.Destinations;
import io.inferenceworker.publish.OutputPublisher;
import io.inferenceworker.schemas.CompletionRequest;
import io.inferenceworker.serde.SpecificAvroDeserializer;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Assembles the job pipeline from settings; its parts stay package-private. */
@Factory
public class JobPipelineFactory {

    @Singleton
    @Bean(preDestroy = "close")
    JobPipeline jobPipeline(ProviderRegistry providers, RouteTable routes, Tenants tenants,
                            OutputPublisher publisher, DeadLetters deadLetters, Destinations destinations,
                            WorkerSettings worker, SchemaRegistrySettings registry,
                            JobEvents events, JobTracing tracing, Clock clock) {
        SpecificAvroDeserializer<CompletionRequest> deserializer =
                new SpecificAvroDeserializer<>(CompletionRequest.class);
        deserializer.configure(registry.serdeProperties(), false);
        JobProcessor processor = new JobProcessor(providers, routes, tenants,
                new RequestValidator(worker.getMaxPromptBytes()), new AttemptRunner(clock, events), events, clock);
        JobOutputs outputs = new JobOutputs(new OutputSender(publisher, worker.getPublishTimeout()), deadLetters,
                destinations, new ResultFactory(worker.getId(), clock), events);
        return new JobPipeline(new JobDecoder(deserializer), processor, outputs, events, tracing, clock,
                worker.isLogContent());
    }
}
