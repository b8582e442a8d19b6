package dev.mizzen.istiod.cli;

import dev.mizzen.api.config.ConfigKey;
import dev.mizzen.api.config.ConfigKind;
import dev.mizzen.galley.validation.ConfigValidator;
import dev.mizzen.galley.validation.Finding;
import dev.mizzen.galley.validation.IstioObjects;
import dev.mizzen.galley.validation.IstioValidator;
import dev.mizzen.galley.validation.ValidationReport;
import dev.mizzen.istiod.local.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code istiod validate -f FILE...}: checks Istio config files offline with the webhook's rules, like
 * {@code istioctl validate}. Prints one line per finding,
 * {@code FILE:LINE: error: Kind/namespace/name: field.path: message}; objects of other kinds are skipped.
 * Exit code 0 when there is no error, 1 when there is, 2 when a file cannot be read or parsed.
 */
@Command(name = "validate",
        description = "Validate Istio config files (multi-document YAML or JSON) the way istiod's webhook would.",
        footer = "Exit status: 0 no errors, 1 errors found, 2 a file could not be read or parsed.")
public final class ValidateCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int INVALID = 1;
    static final int UNREADABLE = 2;
    private static final String STDIN = "-";

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "A file to validate; repeat for several; - reads standard input.")
    List<String> files;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final ConfigValidator validator = new IstioValidator();
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
        Tally tally = new Tally();
        for (String file : files) {
            validateFile(file, out, err, tally);
        }
        out.printf("%d Istio object%s in %d file%s: %d error%s, %d warning%s%n", tally.objects, plural(tally.objects),
                files.size(), plural(files.size()), tally.errors, plural(tally.errors), tally.warnings, plural(tally.warnings));
        out.flush();
        err.flush();
        return tally.unreadable ? UNREADABLE : tally.errors > 0 ? INVALID : OK;
    }

    private void validateFile(String file, PrintWriter out, PrintWriter err, Tally tally) {
        String name = file.equals(STDIN) ? "<stdin>" : file;
        List<Manifests.Document> documents;
        List<String> lines;
        try {
            String text = read(file);
            lines = text.lines().toList();
            documents = Manifests.parse(text);
        } catch (IOException e) {
            err.println(name + ": cannot read: " + e.getMessage());
            tally.unreadable = true;
            return;
        } catch (Manifests.ParseException e) {
            err.println(name + ":" + e.line() + ": cannot parse: " + oneLine(e.getMessage()));
            tally.unreadable = true;
            return;
        }
        for (Manifests.Document doc : documents) {
            validateDocument(name, firstContentLine(lines, doc.line()), doc, out, tally);
        }
    }

    private void validateDocument(String file, int line, Manifests.Document doc, PrintWriter out, Tally tally) {
        String namespace = doc.namespace() == null ? "default" : doc.namespace();
        String objectName = doc.name() == null ? "" : doc.name();
        String where = file + ":" + line + ": ";
        Optional<ConfigKind<?>> kind = ConfigKind.of(doc.apiVersion(), doc.kind());
        if (kind.isEmpty()) {
            if (ConfigKind.isIstioGroup(doc.apiVersion())) {
                tally.objects++;
                tally.errors++;
                out.println(where + "error: " + doc.kind() + "/" + namespace + "/" + objectName + ": unrecognized type "
                        + doc.apiVersion() + " " + doc.kind());
            }
            return;
        }
        tally.objects++;
        String object = ConfigKey.of(kind.get(), namespace, objectName) + ": ";
        Optional<String> unknown = IstioObjects.unknownTopLevelField(doc.content());
        if (unknown.isPresent()) {
            tally.errors++;
            out.println(where + "error: " + object + unknown.get() + ": unknown field");
        }
        ValidationReport report = validator.validateRaw(kind.get(), namespace, doc.content().get("spec"));
        for (Finding finding : report.findings()) {
            if (finding.isError()) {
                tally.errors++;
            } else {
                tally.warnings++;
            }
            out.println(where + (finding.isError() ? "error: " : "warning: ") + object + finding);
        }
    }

    private String read(String file) throws IOException {
        if (file.equals(STDIN)) {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
        return Files.readString(Path.of(file));
    }

    /** A document starts where its {@code ---} separator is; the object itself starts on the line after. */
    private static int firstContentLine(List<String> lines, int line) {
        int index = line - 1;
        return index >= 0 && index < lines.size() && lines.get(index).startsWith("---") ? line + 1 : line;
    }

    /** The YAML parser's message without its source excerpts and carets, on one line. */
    private static String oneLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        List<String> statements = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
        return statements.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join("; ", statements);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    /** What the files held, counted as they are read. */
    private static final class Tally {
        long objects;
        long errors;
        long warnings;
        boolean unreadable;
    }
}
