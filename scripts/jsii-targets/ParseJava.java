// Parses Java sources with javac's own parser and reports syntax errors only.
// The generated bindings import the jsii runtime and the cdk8s, cdk8s-plus and
// constructs Java packages, which come from Maven Central (not reachable here),
// so names and types are not resolved: this is a syntax check, not a compile.
// Usage: java scripts/jsii-targets/ParseJava.java FILE... (single-file launch).
import com.sun.source.util.JavacTask;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public class ParseJava {
  public static void main(String[] args) throws Exception {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<File> files = new ArrayList<>();
    for (String arg : args) {
      files.add(new File(arg));
    }
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, null)) {
      JavacTask task = (JavacTask) compiler.getTask(null, fileManager, diagnostics,
          List.of("-proc:none"), null, fileManager.getJavaFileObjectsFromFiles(files));
      int units = 0;
      for (Object unit : task.parse()) {
        units++;
      }
      int errors = 0;
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors++;
          System.err.println(d);
        }
      }
      System.out.println(units + " compilation units parsed, " + errors + " syntax errors");
      System.exit(errors == 0 ? 0 : 1);
    }
  }
}
