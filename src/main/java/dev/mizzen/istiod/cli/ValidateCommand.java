package dev.mizzen.istiod.cli;

import dev.mizzen.galley.manifest.ManifestDocument;
import dev.mizzen.galley.manifest.ManifestException;
import dev.mizzen.galley.manifest.ManifestReader;
import dev.mizzen.galley.manifest.Position;
import dev.mizzen.galley.pipeline.ObjectValidator;
import dev.mizzen.galley.schema.CrdSchemas;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code istiod validate -f FILE|DIR...}: checks Istio config offline as the apiserver and istiod together
 * would, like {@code istioctl validate}: the YAML read strictly (aliases expanded, duplicate keys refused),
 * the CRD schema and its CEL rules, then Istio's rules ({@code --no-schema} skips the schema stage). Prints
 * one line per finding, {@code FILE:LINE:COLUMN: error: Kind/namespace/name: field.path: message}, where the
 * position is the field's; objects outside Istio's groups are skipped. Exit code 0 when there is no error,
 * 1 when there is, 2 when a file cannot be read or parsed.
 */
@Command(name = "validate",
        description = "Validate Istio config files (multi-document YAML or JSON) as the API server and istiod would.",
        footer = "Exit status: 0 no errors, 1 errors found, 2 a file could not be read or parsed.")
public final class ValidateCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int UNREADABLE = 2;
    private static final String STDIN = "-";
    private static final String OBJECT = "(object)";

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "A file or a directory (its .yaml, .yml and .json files) to validate; repeat for several;"
                    + " - reads standard input.")
    List<String> files;

    @Option(names = {"-R", "--recursive"}, description = "Also validate the files in subdirectories of a directory.")
    boolean recursive;

    @Option(names = "--no-schema", description = "Skip the CRD schema and its CEL rules; apply Istio's rules only"
            + " (what istiod's webhook checks after the API server has checked the schema).")
    boolean noSchema;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    public ValidateCommand() {
        this(System.in);
    }

    /** For tests: what {@code -f -} reads. */
    ValidateCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EnumSet<ObjectValidator.Stage> stages = noSchema ? EnumSet.of(ObjectValidator.Stage.SEMANTIC)
                : EnumSet.allOf(ObjectValidator.Stage.class);
        ObjectValidator validator = new ObjectValidator(CrdSchemas.shipped(), new IstioValidator(), stages);
        Tally tally = new Tally();
        for (String file : files) {
            for (String name : expand(file, err, tally)) {
                tally.files++;
                validateFile(name, validator, out, err, tally);
            }
        }
        out.printf("%d Istio object%s in %d file%s: %d error%s, %d warning%s%n", tally.objects, plural(tally.objects),
                tally.files, plural(tally.files), tally.errors, plural(tally.errors), tally.warnings, plural(tally.warnings));
        out.flush();
        err.flush();
        return tally.unreadable ? UNREADABLE : tally.errors > 0 ? INVALID : OK;
    }

    /** A file as named, or the manifest files of a directory (of its subdirectories too with -R), sorted. */
    private List<String> expand(String file, PrintWriter err, Tally tally) {
        if (file.equals(STDIN) || !Files.isDirectory(Path.of(file))) {
            return List.of(file);
        }
        try (Stream<Path> walk = recursive ? Files.walk(Path.of(file)) : Files.list(Path.of(file))) {
            List<String> found = walk.filter(Files::isRegularFile).filter(ValidateCommand::isManifest)
                    .map(Path::toString).sorted().toList();
            if (found.isEmpty()) {
                err.println(file + ": no .yaml, .yml or .json files" + (recursive ? "" : " (-R looks in subdirectories)"));
            }
            return found;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            tally.unreadable = true;
            return List.of();
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private void validateFile(String file, ObjectValidator validator, PrintWriter out, PrintWriter err, Tally tally) {
        String name = file.equals(STDIN) ? "<stdin>" : file;
        List<ManifestDocument> documents;
        try {
            documents = file.equals(STDIN) ? ManifestReader.standard().read(stdin)
                    : ManifestReader.standard().read(Path.of(file));
        } catch (NoSuchFileException e) {
            err.println(name + ": cannot read: no such file");
            tally.unreadable = true;
            return;
        } catch (IOException e) {
            err.println(name + ": cannot read: " + e.getMessage());
            tally.unreadable = true;
            return;
        } catch (ManifestException e) {
            err.println(name + ":" + e.position() + ": cannot parse: " + e.problem());
            tally.unreadable = true;
            return;
        }
        for (ManifestDocument doc : documents) {
            validateDocument(name, doc, validator, out, tally);
        }
    }

    private void validateDocument(String file, ManifestDocument doc, ObjectValidator validator, PrintWriter out,
                                  Tally tally) {
        ObjectValidator.Verdict verdict = validator.validate(doc.content());
        if (verdict.outcome() == ObjectValidator.Outcome.NOT_ISTIO) {
            return;
        }
        tally.objects++;
        String object = doc.kind() + "/" + (doc.namespace() == null ? "default" : doc.namespace()) + "/"
                + (doc.name() == null ? "" : doc.name()) + ": ";
        List<Located> located = new ArrayList<>();
        for (Finding finding : verdict.findings()) {
            Position at = finding.path().equals(OBJECT) ? doc.start() : doc.position(finding.path());
            located.add(new Located(at, finding));
        }
        located.sort(Comparator.comparingInt((Located l) -> l.at().line()).thenComparingInt(l -> l.at().column()));
        for (Located l : located) {
            Finding finding = l.finding();
            if (finding.isError()) {
                tally.errors++;
            } else {
                tally.warnings++;
            }
            String what = finding.path().equals(OBJECT) ? finding.message() : finding.toString();
            out.println(file + ":" + l.at() + ": " + (finding.isError() ? "error: " : "warning: ") + object + what);
        }
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    private record Located(Position at, Finding finding) {
    }

    /** What the files held, counted as they are read. */
    private static final class Tally {
        long objects;
        long files;
        long errors;
        long warnings;
        boolean unreadable;
    }
}
