package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HAVESPACE, PUTSCRIPT and CHECKSCRIPT: the size limit and the compiler decide before the store, so a
 * stored script always runs.
 */
final class ScriptUploadHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptUploadHandler.class);

    private final SieveContext s;

    ScriptUploadHandler(SieveContext s) {
        this.s = s;
    }

    void haveSpace(Args a) {
        String script = ScriptNames.check(a.string("the script name"));
        long size = a.number("the script size");
        a.end();
        long max = s.settings().limits().maxScriptSize();
        if (size > max) {
            s.no("QUOTA/MAXSIZE", "Script is larger than " + max + " octets.");
            return;
        }
        s.async(s.services().scripts().haveSpace(s.account(), script, size), v -> s.ok("Putscript would succeed."));
    }

    void putScript(Args a) {
        String script = ScriptNames.check(a.string("the script name"));
        String source = a.string("the script");
        a.end();
        if (compiles(script, source)) {
            s.async(s.services().scripts().put(s.account(), script, source), v -> s.ok("Putscript completed."));
        }
    }

    void checkScript(Args a) {
        String source = a.string("the script");
        a.end();
        if (compiles("checkscript", source)) {
            s.ok("Script is valid.");
        }
    }

    /** Compiles; answers NO with the line of the first error when the script is invalid. */
    private boolean compiles(String name, String source) {
        try {
            SieveCompiler.compile(name, source, s.settings().limits());
            return true;
        } catch (ParseException e) {
            s.no(null, "line " + e.line() + ": " + e.reason());
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Sieve compiler failed on a script of {}: {}", s.account(), e.toString(), e);
            s.no(null, "Script cannot be compiled: " + e.getMessage());
            return false;
        }
    }
}
