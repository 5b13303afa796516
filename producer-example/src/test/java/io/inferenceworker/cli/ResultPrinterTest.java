package io.inferenceworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferenceworker.schemas.CompletionResult;
import io.inferenceworker.schemas.CompletionStatus;
import io.inferenceworker.schemas.RouteHop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {

    @Test
    void aRoutedResultShowsEveryHopAndWhyItWasLeft() {
        CompletionResult result = CompletionResult.newBuilder().setJobId("j").setStatus(CompletionStatus.SUCCEEDED)
                .setProvider("nscale").setModel("qwen").setAttempts(3).setCompletedAt(Instant.EPOCH)
                .setRoute("chat")
                .setHops(List.of(
                        new RouteHop("vultr", "llama", CompletionStatus.FAILED, 2, "server_error"),
                        new RouteHop("nscale", "qwen", CompletionStatus.SUCCEEDED, 1, null)))
                .build();
        StringWriter text = new StringWriter();
        ResultPrinter.print(result, new PrintWriter(text), false);
        assertThat(text.toString())
                .contains("from:      provider nscale, model qwen")
                .contains("route:     chat: vultr FAILED (server_error) -> nscale SUCCEEDED");
    }

    @Test
    void aResultWithoutARouteHasNoRouteLine() {
        CompletionResult result = CompletionResult.newBuilder().setJobId("j").setStatus(CompletionStatus.SUCCEEDED)
                .setProvider("vultr").setAttempts(1).setCompletedAt(Instant.EPOCH).build();
        StringWriter text = new StringWriter();
        ResultPrinter.print(result, new PrintWriter(text), false);
        assertThat(text.toString()).doesNotContain("route:");
    }
}
