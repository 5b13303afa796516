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

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# Every module: Maven reads the whole reactor even when building a few of them (.dockerignore keeps outputs out).
COPY . .
# The Maven repository is a build cache, so a rebuild after a source change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -pl worker,testkit,producer-example -am package \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/worker /out/simulator /out/cli \
 && cp worker/target/inference-worker.jar /out/worker/ \
 && cp testkit/target/testkit-*.jar testkit/target/dependency/*.jar /out/simulator/ \
 && cp producer-example/target/producer-example-*.jar producer-example/target/dependency/*.jar /out/cli/

FROM eclipse-temurin:21-jre AS runtime
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
FROM runtime AS worker
COPY --from=build /out/worker/inference-worker.jar /app/inference-worker.jar
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/inference-worker.jar"]
