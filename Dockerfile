# Alert Relay image: the Spring Boot application, its Camel routes and its templates.
#
#   docker build -t alert-relay:0.1.0 .
#   docker run -p 8080:8080 alert-relay:0.1.0      # embedded defaults: every alert to the log receiver
#
# JVM flags as measured in docs/benchmarks.md: serial GC and C1 only (quick start, no C2 compile
# storms on a couple of cores), two malloc arenas (resident memory). Runs as uid/gid 10001 with a read-only root filesystem in Kubernetes (k8s/), where ConfigMaps
# replace /app/routes and /app/templates and add /etc/alert-relay/relay.yaml. The store lives in
# /data (RELAY_DATA_DIR): mount a volume there, or every restart starts with an empty store.

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
# the defaults, replaced by ConfigMaps in Kubernetes
COPY routes/ routes/
COPY templates/ templates/
ENV RELAY_DATA_DIR=/data \
    RELAY_TEMPLATES_DIR=/app/templates \
    RELAY_ROUTES_DIR=/app/routes \
    MALLOC_ARENA_MAX=2 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
# no HEALTHCHECK: Kubernetes uses the probes on /actuator/health/{liveness,readiness} instead
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
