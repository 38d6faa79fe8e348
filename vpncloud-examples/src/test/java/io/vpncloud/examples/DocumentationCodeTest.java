package io.vpncloud.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every {@code ```java} block of README.md and docs/EMBEDDING.md against the library, so that the
 * documentation's code cannot rot. A block is its imports followed by statements; the statements become the body of
 * a method. A block may use {@code node}, the {@code VpnNode} built in the blocks before it, without declaring it.
 */
class DocumentationCodeTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/EMBEDDING.md");
    private static final Pattern DECLARES_NODE = Pattern.compile("\\bVpnNode\\s+node\\s*=");

    /** One {@code ```java} block: where it is and its lines. */
    record Block(String document, int firstLine, List<String> lines) {
        @Override
        public String toString() {
            return document + ":" + firstLine;
        }
    }

    static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (String document : DOCUMENTS) {
            List<String> lines = Files.readAllLines(PROJECT.resolve(document));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equals("```java")) {
                    int end = i + 1;
                    while (!lines.get(end).strip().equals("```")) {
                        end++;
                    }
                    blocks.add(new Block(document, i + 2, lines.subList(i + 1, end)));
                    i = end;
                }
            }
        }
        return blocks;
    }

    @Test
    void theDocumentsHaveTheirCodeBlocks() throws IOException {
        // An extraction that finds nothing would make the compile test below pass vacuously.
        assertEquals(2, blocks().stream().filter(b -> b.document().equals("README.md")).count());
        assertTrue(blocks().stream().filter(b -> b.document().equals("docs/EMBEDDING.md")).count() >= 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void compiles(Block block) {
        List<String> source = new ArrayList<>();
        List<Integer> documentLine = new ArrayList<>(); // for each source line, its line in the document
        int i = 0;
        for (; i < block.lines().size(); i++) {
            String line = block.lines().get(i);
            if (!line.isBlank() && !line.startsWith("import ")) {
                break;
            }
            source.add(line);
            documentLine.add(block.firstLine() + i);
        }
        String body = String.join("\n", block.lines().subList(i, block.lines().size()));
        String parameter = DECLARES_NODE.matcher(body).find() ? "" : "io.vpncloud.core.VpnNode node";
        source.add("class DocBlock { static void run(" + parameter + ") throws Exception {");
        documentLine.add(block.firstLine() + i);
        for (; i < block.lines().size(); i++) {
            source.add(block.lines().get(i));
            documentLine.add(block.firstLine() + i);
        }
        source.add("}}");
        documentLine.add(block.firstLine() + block.lines().size());

        List<String> errors = compile(String.join("\n", source)).stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> block.document() + ":" + documentLine.get((int) d.getLineNumber() - 1) + ": "
                        + d.getMessage(null))
                .collect(Collectors.toList());
        if (!errors.isEmpty()) {
            fail("the code block at " + block + " does not compile:\n" + String.join("\n", errors));
        }
    }

    private static List<Diagnostic<? extends JavaFileObject>> compile(String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///DocBlock.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        // Surefire may start the tests through a manifest-only jar; it names the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path output = Path.of("target", "doc-blocks");
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        compiler.getTask(null, null, diagnostics,
                List.of("-classpath", classPath, "-d", output.toString(), "-proc:none", "--release", "17"), null,
                List.of(file)).call();
        return diagnostics.getDiagnostics();
    }
}
