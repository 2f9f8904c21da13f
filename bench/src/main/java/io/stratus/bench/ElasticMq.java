package io.stratus.bench;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ's in-memory SQS server, embedded in this JVM on a free loopback port: the peer the
 * {@code sqs} benchmark measures Stratus against. It runs on Pekko and Scala, which share no
 * library with Stratus, so both live on one class path.
 */
final class ElasticMq implements AutoCloseable {

    private final SQSRestServer server;
    private final URI endpoint;

    ElasticMq() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort() + "/");
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
