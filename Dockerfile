# syntax=docker/dockerfile:1
#
# Images of this repository, built from source. docker-compose.yml builds them; by hand:
#   docker build -t inference-worker .                                  # the worker (the default, last target)
#   docker build --target simulator -t inference-worker-simulator .    # the provider simulator, port 8089
#   docker build --target cli -t producer-example .                    # the producer-example CLI
#
# One build stage compiles every module once (tests are run by CI, not here). The worker image holds the worker
# distribution, the self-contained worker/target/inference-worker.jar that `package` builds (README "Deploy"); the
# simulator's and the CLI's class paths are laid out with maven-dependency-plugin. The runtime images are a JRE plus
# jars, run as a non-root user.

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# Every module: Maven reads the whole reactor even when building a few of them (.dockerignore keeps outputs out).
COPY . .
# The Maven repository is a build cache, so a rebuild after a source change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -pl worker,testkit,producer-example,bench -am package \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/worker /out/simulator /out/cli /out/aot-training \
 && cp worker/target/inference-worker.jar /out/worker/ \
 && cp testkit/target/testkit-*.jar testkit/target/dependency/*.jar /out/simulator/ \
 && cp producer-example/target/producer-example-*.jar producer-example/target/dependency/*.jar /out/cli/ \
 && cp bench/target/bench-*.jar bench/target/dependency/*.jar /out/aot-training/

FROM eclipse-temurin:25-jre AS runtime
RUN useradd --system --uid 10001 --no-create-home app
WORKDIR /app
USER 10001

# The provider simulator: every dialect under its own prefix (/vultr, /elastic, /nvidia, /nscale, /openai).
FROM runtime AS simulator
COPY --from=build /out/simulator/ /app/lib/
ENV SIMULATOR_PORT=8089 SIMULATOR_BIND_ADDRESS=0.0.0.0
EXPOSE 8089
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/lib/*", "io.inferenceworker.testkit.sim.ProviderSimulator"]

# producer-example: docker compose run --rm cli send --provider vultr --wait "Hello"
# (no JAVA_TOOL_OPTIONS anywhere: the JVM would announce them on standard error, in the middle of the CLI's output)
FROM runtime AS cli
COPY --from=build /out/cli/ /app/lib/
ENTRYPOINT ["java", "-cp", "/app/lib/*", "io.inferenceworker.cli.ProducerExample"]

# The worker: the distribution jar, as on a host (java -jar). Configuration by MICRONAUT_CONFIG_FILES (a mounted
# worker.yml: provider instances, SASL, registry auth) and environment variables (KAFKA_BOOTSTRAP_SERVERS,
# SCHEMA_REGISTRY_URL, the API keys, ...). Health and metrics on 8080: /health/readiness, /health/liveness,
# /prometheus. docker-compose.yml's healthcheck asks /health/readiness with bash's /dev/tcp, whether or not the base
# image carries curl or wget.
# The heap is 75 % of the container's memory limit through JAVA_TOOL_OPTIONS, not a flag of the ENTRYPOINT, so an
# orchestrator sizes it by setting that variable (Kubernetes: -XX:MaxRAMPercentage=60 to leave room for the votes
# app's off-heap RocksDB) without repeating the command; the JVM notes "Picked up JAVA_TOOL_OPTIONS" at start.
#
# A fresh worker starts from a JDK 25 AOT cache (JEP 483/514/515: its classes already loaded and linked, its methods'
# profiles already taken), trained here at build time: AotCacheTraining starts the benchmark's embedded stack (broker,
# registry, provider simulator) in this stage and sends 30,000 jobs through `java -XX:AOTCacheOutput -jar` the jar at
# its final path, on this image's own JRE (a cache serves only the JVM build and class path that wrote it). It adds
# about a minute and ~105 MB. Measured with bench/ (2 cores, 30,000 jobs at 50 ms, five runs): start to 90 % of the
# steady rate 9.5-16.2 s -> 4.6-7.0 s, "Startup completed" 3.0-4.8 s -> 0.8-1.3 s. A JVM that cannot use the cache
# (another JDK build, a mismatched option) says so in one warning line and starts without it.
FROM runtime AS worker
COPY --from=build /out/worker/inference-worker.jar /app/inference-worker.jar
USER root
RUN --mount=type=bind,from=build,source=/out/aot-training,target=/tmp/aot-training \
    java -cp '/tmp/aot-training/*' io.inferenceworker.bench.AotCacheTraining \
        --worker-jar /app/inference-worker.jar --cache /app/worker.aot \
 && chmod a+r /app/worker.aot \
 && find /tmp -mindepth 1 -maxdepth 1 ! -name aot-training -exec rm -rf {} +
USER 10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=/app/worker.aot", "-jar", "/app/inference-worker.jar"]
