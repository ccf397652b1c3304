# Builds Vitals and runs any of its commands: docker run IMAGE worker | api | check …
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
COPY shared-model/pom.xml shared-model/
COPY broker/pom.xml broker/
COPY test-support/pom.xml test-support/
COPY worker/pom.xml worker/
COPY client-api/pom.xml client-api/
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=shared-model,broker,test-support || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN useradd --system --home /vitals vitals
WORKDIR /vitals
COPY --from=build /src/bin bin
COPY --from=build /src/worker/target/lib worker/target/lib
COPY --from=build /src/client-api/target/lib client-api/target/lib
RUN mkdir data && chown vitals data
USER vitals
ENTRYPOINT ["bin/vitals"]
CMD ["--help"]
