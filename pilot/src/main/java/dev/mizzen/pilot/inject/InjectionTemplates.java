package dev.mizzen.pilot.inject;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.MemoryLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiled injection templates of one {@link InjectionSettings}.
 * <p>
 * Why Pebble: Istio's templates are Go text/template over YAML text (conditionals, loops, filters, whitespace
 * control), and Java cannot run Go templates. Of the Java template engines, Pebble has the closest model
 * ({@code {% if %}/{% for %}/{% macro %}}, {@code {{- -}}} trimming, filters), so Istio's template ports line by
 * line and users' custom templates port the same way; it is small (two dependencies: unbescape, slf4j),
 * actively released, compiles templates once into thread-safe objects, and lets us add Istio's helper functions
 * as an extension. Jinjava would do the same but drags a large dependency tree; Mustache and Handlebars are
 * logic-less by design and would push the template's logic into Java; a home-made expression layer over
 * structured YAML would be one more language to learn and maintain.
 * <p>
 * Configured to behave like Go templates on whitespace (no implicit newline trimming, {@code {%-}/{@code -%}}
 * trim as {@code {{-}/{@code -}}} do), with HTML auto-escaping off (the output is YAML; templates quote values
 * with the {@code quote} filter) and a bounded output size. Missing map keys render as empty, as in Go.
 * Immutable and thread-safe once built.
 */
final class InjectionTemplates {
    private static final int MAX_RENDERED_CHARS = 1 << 20;

    private final Map<String, PebbleTemplate> compiled;

    private InjectionTemplates(Map<String, PebbleTemplate> compiled) {
        this.compiled = compiled;
    }

    /** Compiles every template; throws IllegalArgumentException naming the template that does not compile. */
    static InjectionTemplates compile(Map<String, String> sources) {
        MemoryLoader loader = new MemoryLoader();
        sources.forEach(loader::addTemplate);
        PebbleEngine engine = new PebbleEngine.Builder()
                .loader(loader)
                .extension(new TemplateFunctions())
                .autoEscaping(false)
                .newLineTrimming(false)
                .strictVariables(false)
                .cacheActive(false)
                .maxRenderedSize(MAX_RENDERED_CHARS)
                .build();
        Map<String, PebbleTemplate> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            try {
                out.put(e.getKey(), engine.getTemplate(e.getKey()));
            } catch (PebbleException ex) {
                throw new IllegalArgumentException("injection template '" + e.getKey() + "' does not compile: "
                        + ex.getMessage(), ex);
            }
        }
        return new InjectionTemplates(Map.copyOf(out));
    }

    boolean has(String name) {
        return compiled.containsKey(name);
    }

    /** Renders one template; PebbleException (an unchecked exception) when the template fails at run time. */
    String render(String name, Map<String, Object> data) {
        StringWriter out = new StringWriter(8192);
        try {
            compiled.get(name).evaluate(out, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
