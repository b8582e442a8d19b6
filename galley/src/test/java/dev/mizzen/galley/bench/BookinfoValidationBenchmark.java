package dev.mizzen.galley.bench;

import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.api.config.SpecReader;
import dev.mizzen.galley.pipeline.ObjectValidator;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.validation.ValidationReport;
import dev.mizzen.galley.validation.YamlDocuments;
import dev.mizzen.galley.validation.YamlDocuments.Doc;

import java.time.Duration;
import java.util.List;

/**
 * Validations per second over the Istio documents of the Bookinfo samples, three ways: from the raw spec tree
 * (reading it into records, then the rules: what the webhook and the config store do), from typed records
 * (the rules alone), and whole objects through the CRD schema, its CEL rules and then the rules (what
 * {@code istiod validate} and local mode do; a quarter of the rounds, as it is slower). A plain main, not a timed unit test; {@code BookinfoValidationBenchmarkTest} only runs
 * it for a few rounds. Run it from the repository root with
 * <pre>
 * mvn -q -o -pl galley test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp galley/target/test-classes:galley/target/classes:$(cat galley/target/cp.txt) \
 *     dev.mizzen.galley.bench.BookinfoValidationBenchmark [warm-up rounds] [measured rounds]
 * </pre>
 */
public final class BookinfoValidationBenchmark {
    private final IstioValidator validator = new IstioValidator();
    private final List<Doc> docs = YamlDocuments.bookinfo().stream().filter(d -> d.configKind().isPresent()).toList();
    private final ObjectValidator full = ObjectValidator.full();
    private final List<Object> specs = docs.stream()
            .map(d -> (Object) SpecReader.read(d.configKind().orElseThrow(), d.spec()))
            .toList();

    /** What one measurement saw. */
    public record Result(String what, long validations, long errors, Duration elapsed) {
        public double perSecond() {
            return validations / (elapsed.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%-34s %,12.0f validations/s (%,d in %d ms)", what, perSecond(), validations,
                    elapsed.toMillis());
        }
    }

    public int documents() {
        return docs.size();
    }

    /** Validates every document from its raw tree, {@code rounds} times over. */
    public Result raw(int rounds) {
        long errors = 0;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (Doc doc : docs) {
                ValidationReport report = validator.validateRaw(doc.configKind().orElseThrow(), doc.namespace(), doc.spec());
                errors += report.errors().size();
            }
        }
        return new Result("read + validate (webhook path)", (long) rounds * docs.size(), errors,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Validates every whole object with the CRD schema, its CEL rules and Istio's rules, {@code rounds} times over. */
    public Result schemaAndRules(int rounds) {
        long errors = 0;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (Doc doc : docs) {
                errors += full.validate(doc.source().content()).findings().stream().filter(f -> f.isError()).count();
            }
        }
        return new Result("schema + CEL + rules (validate CLI)", (long) rounds * docs.size(), errors,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Validates every document's typed record, {@code rounds} times over. */
    public Result typed(int rounds) {
        long errors = 0;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < docs.size(); i++) {
                Doc doc = docs.get(i);
                errors += validator.validateSpec(doc.configKind().orElseThrow(), doc.namespace(), specs.get(i)).errors().size();
            }
        }
        return new Result("validate typed records (rules)", (long) rounds * docs.size(), errors,
                Duration.ofNanos(System.nanoTime() - start));
    }

    public static void main(String[] args) {
        int warmupRounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        BookinfoValidationBenchmark bench = new BookinfoValidationBenchmark();
        System.out.printf("Bookinfo: %d Istio documents (%s); %d warm-up rounds, %d measured rounds, %d cores%n",
                bench.documents(), kinds(bench), warmupRounds, rounds, Runtime.getRuntime().availableProcessors());
        bench.raw(warmupRounds);
        bench.typed(warmupRounds);
        bench.schemaAndRules(warmupRounds / 4);
        for (int i = 0; i < 3; i++) {
            System.out.println(bench.raw(rounds));
            System.out.println(bench.typed(rounds));
            System.out.println(bench.schemaAndRules(rounds / 4));
        }
    }

    private static String kinds(BookinfoValidationBenchmark bench) {
        return String.join(", ", bench.docs.stream().map(d -> d.configKind().map(ConfigKind::kind).orElseThrow())
                .distinct().sorted().toList());
    }
}
