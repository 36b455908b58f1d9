package io.alertrelay.template;

import io.alertrelay.config.ConfigException;
import io.alertrelay.config.EmbeddedDefaults;
import io.alertrelay.config.MountedFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.ResourceNotFoundException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Renders Velocity templates from the templates directory, or, when that directory does not exist,
 * from the templates packed into the jar ({@link EmbeddedDefaults}). Inserted values are escaped for
 * the markup the message uses ({@link Escaping}) and, in {@code .json.vm} templates, for the JSON
 * string they sit in; templates reach the other escapings through {@code $esc} ({@link ValueInsertion.Tool}).
 */
public final class TemplateRenderer {

    private final Path directory;
    private final boolean embedded;
    private final VelocityEngine engine;

    public TemplateRenderer(Path directory) {
        this.directory = directory.toAbsolutePath();
        this.embedded = EmbeddedDefaults.replace(directory);
        Properties props = new Properties();
        String loader = embedded ? "class" : "file";
        props.setProperty("resource.loaders", loader);
        if (embedded) {
            props.setProperty("resource.loader.class.class", ClasspathResourceLoader.class.getName());
        } else {
            props.setProperty("resource.loader.file.path", this.directory.toString());
        }
        // a template, once loaded, stays as loaded: edits on disk reach the relay only through a
        // validated reload (a new renderer), so a broken edit never replaces a working template
        props.setProperty("resource.loader." + loader + ".cache", "true");
        props.setProperty("resource.loader." + loader + ".modification_check_interval", "0");
        props.setProperty("resource.default_encoding", "UTF-8");
        props.setProperty("parser.space_gobbling", "lines");
        // no reflection from a template: the console's playground renders text a logged-in user typed,
        // and a template must not reach Class, Runtime or System through any value's getClass()
        props.setProperty("introspector.uberspect.class", "org.apache.velocity.util.introspection.SecureUberspector");
        engine = new VelocityEngine(props);
        engine.init();
    }

    public Path directory() {
        return directory;
    }

    /** Where the templates come from, for messages: the directory, or the jar's copies. */
    public String location() {
        return embedded ? "classpath:" + EmbeddedDefaults.TEMPLATES + " (embedded defaults; no " + directory + ")"
                : directory.toString();
    }

    /**
     * Loads and parses every template of the directory (a ConfigMap's hidden {@code ..data} entries
     * aside), so that this renderer holds a complete, valid set; the first broken one is reported.
     */
    public TemplateRenderer loadAll() {
        try {
            for (String name : names()) {
                if (name.endsWith(".vm")) {
                    load(name);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(location(), 0, 0, "cannot list templates: " + e.getMessage());
        }
        return this;
    }

    private List<String> names() throws IOException {
        if (!embedded) {
            return MountedFiles.in(directory).stream().map(f -> f.getFileName().toString()).toList();
        }
        Resource[] resources = new PathMatchingResourcePatternResolver(TemplateRenderer.class.getClassLoader())
                .getResources("classpath*:" + EmbeddedDefaults.TEMPLATES + "*.vm");
        return Arrays.stream(resources).map(Resource::getFilename).sorted().toList();
    }

    /** Parses a template; a missing or broken one is reported with its file and line. */
    public void check(String name) {
        load(name);
    }

    /** Renders with the escaping its file name implies: HTML for {@code .html.vm}, else only the JSON container. */
    public String render(String name, Map<String, Object> model) {
        return render(name, model, Escaping.forTemplate(name));
    }

    /** Renders with values escaped for {@code markup} (and JSON in a {@code .json.vm} template). */
    public String render(String name, Map<String, Object> model, io.alertrelay.notify.Markup markup) {
        Template template = load(name);
        VelocityContext context = context(name, model, markup);
        StringWriter out = new StringWriter();
        try {
            template.merge(context, out);
        } catch (VelocityException e) {
            throw new TemplateException(name + ": " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * The playground: {@code draft} rendered in the place of the template {@code name}, with the same
     * escaping; a syntax error is a {@link ConfigException} with its line and column.
     */
    public String renderDraft(String name, String draft, Map<String, Object> model, io.alertrelay.notify.Markup markup) {
        VelocityContext context = context(name, model, markup);
        BoundedWriter out = new BoundedWriter(MAX_DRAFT_CHARS);
        try {
            engine.evaluate(context, out, name, draft);
        } catch (ParseErrorException e) {
            throw new ConfigException(name + " (draft)", e.getLineNumber(), e.getColumnNumber(), firstLine(e.getMessage()));
        } catch (VelocityException | BoundedWriter.Full e) {
            if (out.full()) {
                throw new TemplateException(name + " (draft): stopped at " + MAX_DRAFT_CHARS + " characters (a loop too long?)", e);
            }
            throw new TemplateException(name + " (draft): " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * What a draft may write: a loop typed in the playground ({@code #foreach($i in [1..100000000])})
     * must not fill the heap (the relay runs in 128 MB and stops on an OutOfMemoryError).
     */
    static final int MAX_DRAFT_CHARS = 1_000_000;

    /** A StringWriter that refuses to grow beyond its bound (hand-written: the JDK has none, and it is ten lines). */
    private static final class BoundedWriter extends StringWriter {

        /** Thrown through Velocity's merge when the bound is reached. */
        static final class Full extends RuntimeException {
            Full() {
                super("the output bound is reached", null, false, false);
            }
        }

        private final int max;
        private boolean full;

        BoundedWriter(int max) {
            this.max = max;
        }

        boolean full() {
            return full;
        }

        @Override
        public void write(int c) {
            check(1);
            super.write(c);
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            check(len);
            super.write(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            check(len);
            super.write(str, off, len);
        }

        @Override
        public void write(String str) {
            check(str.length());
            super.write(str);
        }

        private void check(int more) {
            if (getBuffer().length() + more > max) {
                full = true;
                throw new Full();
            }
        }
    }

    /** A template's text as the relay loads it (the directory's file, or the jar's copy), for the playground. */
    public String source(String name) {
        load(name);     // the same checks of the name, and a clear error when it is missing
        try {
            if (!embedded) {
                return Files.readString(directory.resolve(name));
            }
            try (java.io.InputStream in = TemplateRenderer.class.getClassLoader()
                    .getResourceAsStream(EmbeddedDefaults.TEMPLATES + name)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException | NullPointerException e) {
            throw new ConfigException(where(name), 0, 0, "cannot be read");
        }
    }

    private static VelocityContext context(String name, Map<String, Object> model, io.alertrelay.notify.Markup markup) {
        // a copy: #set in one template must not leak into the next one rendered from the same model
        VelocityContext context = new VelocityContext(new java.util.HashMap<>(model));
        context.put("esc", new ValueInsertion.Tool(markup));
        EventCartridge events = new EventCartridge();
        events.addEventHandler(new ValueInsertion(markup, name.endsWith(".json.vm")));
        events.attachToContext(context);
        return context;
    }

    private Template load(String name) {
        if (name.contains("..") || name.startsWith("/")) {
            throw new ConfigException(name, 0, 0, "template names are relative to " + location());
        }
        try {
            return engine.getTemplate(embedded ? EmbeddedDefaults.TEMPLATES + name : name, "UTF-8");
        } catch (ResourceNotFoundException e) {
            throw new ConfigException(where(name), 0, 0,
                    !embedded && Files.exists(directory.resolve(name)) ? "cannot be read" : "template not found");
        } catch (ParseErrorException e) {
            throw new ConfigException(where(name), e.getLineNumber(), e.getColumnNumber(), firstLine(e.getMessage()));
        }
    }

    private String where(String name) {
        return embedded ? "classpath:" + EmbeddedDefaults.TEMPLATES + name : directory.resolve(name).toString();
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
