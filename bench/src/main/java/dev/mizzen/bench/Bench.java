package dev.mizzen.bench;

import dev.mizzen.bench.load.LoadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench.jar}: {@code load} runs the load tool; {@code jmh [JMH options]} runs the JMH
 * benchmarks of this jar (the same as {@code java -cp bench.jar org.openjdk.jmh.Main}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {LoadCommand.class, dev.mizzen.bench.compare.CompareCommand.class, Bench.Jmh.class},
        description = "Mizzen's scale figures.")
public final class Bench implements Runnable {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("jmh")) {
            runJmh(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    private static void runJmh(String[] args) {
        try {
            org.openjdk.jmh.Main.main(args);
        } catch (Exception e) {
            throw new IllegalStateException("JMH failed", e);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Listed for help only: {@link #main} hands {@code jmh} and its arguments to JMH untouched. */
    @Command(name = "jmh", description = "Run the JMH benchmarks; arguments go to JMH (-h for its options).")
    static final class Jmh implements Runnable {
        @Override
        public void run() {
            runJmh(new String[0]);
        }
    }
}
