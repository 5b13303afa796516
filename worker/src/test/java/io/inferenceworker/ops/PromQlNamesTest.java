package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard test relies on: it must find every name, and nothing else. */
class PromQlNamesTest {

    @Test
    void findsTheNamesOfAHistogramQuantileAndIgnoresLabelsFunctionsAndVariables() {
        String expr = "histogram_quantile(0.95, sum by (le, provider) (rate(inference_job_duration_seconds_bucket"
                + "{provider=~\"$provider\", outcome!=\"undecodable\"}[$__rate_interval])))";

        assertThat(PromQlNames.of(expr)).containsExactly("inference_job_duration_seconds_bucket");
    }

    @Test
    void findsBothSidesOfABinaryOperationWithVectorMatching() {
        String expr = "sum without (instance) (inference_jobs_in_flight) / on (job) group_left(pod)"
                + " max(inference_jobs_in_flight_limit) > bool 0.8 and ignoring(x) up offset 5m";

        assertThat(PromQlNames.of(expr)).containsExactlyInAnyOrder("inference_jobs_in_flight",
                "inference_jobs_in_flight_limit", "up");
    }

    @Test
    void ignoresNumbersDurationsAndGrafanaVariableForms() {
        String expr = "topk(5, sum(increase(inference_tenant_cost_total{currency=\"${currency}\"}[1h])) * 1e3)"
                + " - count(kafka_consumer_fetch_manager_records_lag[[interval]]) @ end()"
                + " + deriv(a:recorded_rule:rate5m[10m:1m])";

        assertThat(PromQlNames.of(expr)).containsExactlyInAnyOrder("inference_tenant_cost_total",
                "kafka_consumer_fetch_manager_records_lag", "a:recorded_rule:rate5m");
    }

    @Test
    void aggregationWithTheGroupingAfterItsArgument() {
        assertThat(PromQlNames.of("sum(rate(inference_tokens_total[5m])) by (direction)"))
                .containsExactly("inference_tokens_total");
    }

    @Test
    void variableQueries() {
        assertThat(PromQlNames.ofVariableQuery("label_values(inference_jobs_total{outcome=\"x\"}, provider)"))
                .containsExactly("inference_jobs_total");
        assertThat(PromQlNames.ofVariableQuery("label_values(provider)")).isEmpty();
        assertThat(PromQlNames.ofVariableQuery("query_result(topk(3, inference_tenant_jobs_total))"))
                .containsExactly("inference_tenant_jobs_total");
    }

    @Test
    void labelsMatchedOnByMetric() {
        String expr = "sum by (le) (rate(x_bucket{job=~\"$job\", provider!=\"a,b}\"}[5m]))"
                + " / on (job) y{state=~\"open|x=y\"} + z";

        assertThat(PromQlNames.matcherLabels(expr)).containsOnlyKeys("x_bucket", "y");
        assertThat(PromQlNames.matcherLabels(expr).get("x_bucket")).containsExactly("job", "provider");
        assertThat(PromQlNames.matcherLabels(expr).get("y")).containsExactly("state");
    }

    @Test
    void labelsAVariableQueryNeeds() {
        assertThat(PromQlNames.variableLabels("label_values(inference_jobs_total{job=~\"$job\"}, provider)"))
                .containsExactly(java.util.Map.entry("inference_jobs_total", java.util.Set.of("job", "provider")));
    }
}
