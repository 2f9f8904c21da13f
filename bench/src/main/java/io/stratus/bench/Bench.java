package io.stratus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs a benchmark and prints its results as Markdown tables for docs/BENCHMARKS.md.
 *
 * <pre>
 * java -jar bench/target/stratus-bench-all.jar edge [--warmup S] [--measure S] [--clients 1,16,64]
 *      [--server-jar server/target/stratus-server-all.jar]
 * java -jar bench/target/stratus-bench-all.jar sqs [--warmup S] [--measure S] [--clients 1,16,64] [--samples 500]
 * java -jar bench/target/stratus-bench-all.jar apigateway [--warmup S] [--measure S] [--clients 1,16,64]
 * java -jar bench/target/stratus-bench-all.jar lambda [--warmup S] [--measure S] [--clients 1,16,64]
 * java -jar bench/target/stratus-bench-all.jar s3 [--warmup S] [--measure S] [--clients 1,16,64]
 * java -jar bench/target/stratus-bench-all.jar dynamodb [--warmup S] [--measure S] [--clients 1,16,64] [--items 1000000]
 * java [-Dbench.storage.dir=DIR] -jar bench/target/stratus-bench-all.jar storage [--warmup S] [--measure S] [--clients 1,16,64]
 * </pre>
 */
public final class Bench {

    private static final String USAGE = "usage: bench edge|sqs|apigateway|lambda|s3|dynamodb|storage [--warmup S] [--measure S] [--clients 1,16,64] "
            + "[--server-jar PATH (edge)] [--samples N (sqs)] [--items N (dynamodb)]";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        // As `stratus start` serves: without Netty's leak detector (the hello baseline is Netty too).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        if (args.length == 0 || !java.util.List.of("edge", "sqs", "apigateway", "lambda", "s3", "dynamodb", "storage").contains(args[0])) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int warmup = 5;
        int measure = 10;
        int[] clients = {1, 16, 64};
        Path serverJar = null;
        int samples = 500;
        int items = 1_000_000;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--measure" -> measure = Integer.parseInt(args[i + 1]);
                case "--clients" -> clients = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--server-jar" -> serverJar = Path.of(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--items" -> items = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (serverJar != null && !Files.isRegularFile(serverJar)) {
            throw new IllegalArgumentException("No server jar at " + serverJar + "; build it with ./mvnw -pl server -am package");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Bounded: at most 10 million requests per run, whatever the duration.
        LoadDriver driver = new LoadDriver(Duration.ofSeconds(warmup), Duration.ofSeconds(measure), 10_000_000L);
        String report = switch (args[0]) {
            case "edge" -> new EdgeBenchmark(driver, clients, serverJar, java).run();
            case "sqs" -> new SqsBenchmark(driver, clients, samples).run();
            case "lambda" -> new LambdaBenchmark(driver, clients).run();
            case "s3" -> new S3Benchmark(driver, clients).run();
            case "dynamodb" -> new DynamoDbBenchmark(driver, clients, items).run();
            case "storage" -> new StorageBenchmark(warmup, measure, clients).run();
            default -> new ApiGatewayBenchmark(driver, clients).run();
        };
        System.out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println();
        System.out.print(report);
        System.exit(0);
    }
}
