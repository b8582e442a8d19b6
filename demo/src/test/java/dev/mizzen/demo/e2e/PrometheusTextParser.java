package dev.mizzen.demo.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format 0.0.4, for tests. Why our own: no Java library parses the
 * format (Prometheus' Java client, Micrometer and OpenTelemetry only write it; the reference parser is Go's
 * {@code expfmt}). It fails on what Prometheus would reject or what Istio's dashboards could not use: a sample before
 * its family's HELP and TYPE, a family without help text, a second HELP or TYPE, a malformed name, label set or
 * value, a sample name that is not its family's (with {@code _bucket}, {@code _sum}, {@code _count} for histograms
 * and summaries), a histogram without its {@code +Inf} bucket.
 */
final class PrometheusTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "(NaN|[+-]Inf|[+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)( -?[0-9]+)?");

    record Families(Map<String, String> types, Map<String, String> help, List<String> samples) {
        java.util.Set<String> names() {
            return types.keySet();
        }

        String type(String family) {
            return types.get(family);
        }
    }

    private PrometheusTextParser() {
    }

    static Families parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, Boolean> infBucket = new LinkedHashMap<>();
        List<String> samples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                require(NAME.matcher(parts[0]).matches(), lineNo, "bad name in HELP: " + line);
                require(parts.length == 2 && !parts[1].isBlank(), lineNo, "empty HELP: " + line);
                require(help.put(parts[0], parts[1]) == null, lineNo, "second HELP for " + parts[0]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                require(parts.length == 2, lineNo, "bad TYPE: " + line);
                require(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1]), lineNo, "bad type " + line);
                require(help.containsKey(parts[0]), lineNo, "TYPE before HELP for " + parts[0]);
                require(types.put(parts[0], parts[1]) == null, lineNo, "second TYPE for " + parts[0]);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                Matcher m = SAMPLE.matcher(line);
                require(m.matches(), lineNo, "malformed sample: " + line);
                String name = m.group(1);
                String family = familyOf(name, types);
                require(family != null, lineNo, "sample without HELP and TYPE: " + line);
                if (name.equals(family + "_bucket") && line.contains("le=\"+Inf\"")) {
                    infBucket.put(family, true);
                }
                samples.add(line);
            }
        }
        types.forEach((family, type) -> require(!type.equals("histogram") || infBucket.containsKey(family), 0,
                "histogram " + family + " without +Inf bucket"));
        return new Families(types, help, samples);
    }

    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return null;
    }

    private static void require(boolean ok, int line, String message) {
        if (!ok) {
            throw new IllegalArgumentException("line " + line + ": " + message);
        }
    }
}
