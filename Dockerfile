# captioner: build with the Maven wrapper on a JDK image, run on a slim JRE image.
# Other bases (a local mirror, a distroless-like JRE, the images scripts/container-smoke.sh builds from Debian
# packages): docker build --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=... -t captioner .
# The build stage needs curl or wget and tar (for the wrapper), the runtime stage bash and useradd.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk-jammy
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
# dependencies in their own layer: changing the sources does not download them again
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY models models
# tests run in CI (.ci/run), not in the image build; the pom's natives-* profile for the build's OS and
# architecture keeps the natives to that one platform (linux-x86_64 with oneDNN, or linux-arm64)
RUN ./mvnw -B -q -DskipTests package && cp target/captioner.jar /captioner.jar

FROM ${RUNTIME_IMAGE}
RUN groupadd --system captioner \
    && useradd --system --gid captioner --home-dir /app --no-create-home --shell /usr/sbin/nologin captioner \
    && mkdir -p /app/models /app/data \
    && chown -R captioner:captioner /app
WORKDIR /app
COPY --from=build /captioner.jar /tmp/captioner.jar
# Class data sharing for a faster start (README, Docker): the jar extracted (/app/jar/captioner.jar and lib/),
# then one start up to a refreshed context records the classes it loads in an archive that every later start
# maps instead of loading and verifying them again (a JVM that cannot use it ignores it)
RUN java -Djarmode=tools -jar /tmp/captioner.jar extract --destination /app/jar \
    && CAPTIONER_DATA_DIR=/tmp/cds-data CAPTIONER_MODELS_DIR=/tmp/cds-models \
       java -XX:ArchiveClassesAtExit=/app/jar/captioner.jsa -Xlog:cds=off -Dspring.context.exit=onRefresh \
       -jar /app/jar/captioner.jar --server.port=0 \
    && rm -rf /tmp/captioner.jar /tmp/cds-data /tmp/cds-models
COPY scripts/container-entrypoint.sh /app/entrypoint.sh
# the demo model; a named volume on /app/models starts as a copy of it
COPY --chown=captioner:captioner models/ /app/models/
RUN chmod 755 /app/entrypoint.sh
# OMP_WAIT_POLICY=passive: ND4J's OpenMP threads must sleep when idle (README, Configuration)
ENV OMP_WAIT_POLICY=passive \
    CAPTIONER_MODELS_DIR=/app/models \
    CAPTIONER_DATA_DIR=/app/data \
    SERVER_PORT=8080
VOLUME ["/app/models", "/app/data"]
USER captioner
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD ["/app/entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/app/entrypoint.sh"]
