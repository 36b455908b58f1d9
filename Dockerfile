# Alert Relay image: the Spring Boot application, its Camel routes and its templates.
#
#   docker build -t alert-relay:0.1.0 .
#   docker run -p 8080:8080 alert-relay:0.1.0      # embedded defaults: every alert to the log receiver
#
# JVM flags: jvm.options, the one place that states them (small heap, serial GC, C1 only, bounded
# metaspace and code cache, exit on OOM; measured in docs/benchmarks.md), passed to java by the
# entrypoint as an argument file; MALLOC_ARENA_MAX=2 keeps glibc's malloc arenas (resident memory) down.
# JAVA_TOOL_OPTIONS stays free for the platform's additions (k8s/ sets the processor count and /tmp).
# The routes and templates are in the jar; ConfigMaps mounted at /app/routes and /app/templates
# replace them, and /etc/alert-relay/relay.yaml adds receivers (k8s/). Runs as uid/gid 10001 with a
# read-only root filesystem in Kubernetes. The store lives in /data (RELAY_DATA_DIR): mount a volume
# there, or every restart starts with an empty store.

# --- build: the Maven wrapper on a JDK -------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
# the wrapper and the pom first, so that the dependencies form a layer cached across source changes
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY templates templates
COPY config config
RUN ./mvnw -B -q package -DskipTests \
 && cp target/alert-relay-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# --- run: a JRE, the jar's layers from the least to the most often changed --------------------------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 relay \
 && useradd --system --uid 10001 --gid relay --home-dir /app --no-create-home --shell /usr/sbin/nologin relay \
 && mkdir -p /data \
 && chown relay:relay /data
WORKDIR /app
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
COPY jvm.options ./
# where ConfigMaps (k8s/) replace the routes and templates packed into the jar; absent: the jar's own
ENV RELAY_DATA_DIR=/data \
    RELAY_TEMPLATES_DIR=/app/templates \
    RELAY_ROUTES_DIR=/app/routes \
    MALLOC_ARENA_MAX=2
USER 10001:10001
EXPOSE 8080
# no HEALTHCHECK: Kubernetes uses the probes on /actuator/health/{liveness,readiness} instead
ENTRYPOINT ["java", "@/app/jvm.options", "org.springframework.boot.loader.launch.JarLauncher"]
