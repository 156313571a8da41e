package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.service.SieveScriptStore.ScriptInfo;
import io.mailfleet.protocols.managesieve.Tokens;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** LISTSCRIPTS, GETSCRIPT, SETACTIVE, DELETESCRIPT and RENAMESCRIPT on the account's stored scripts. */
final class ScriptHandler {

    private final SieveContext s;

    ScriptHandler(SieveContext s) {
        this.s = s;
    }

    private SieveScriptStore scripts() {
        return s.services().scripts();
    }

    void listScripts(Args a) {
        a.end();
        s.async(scripts().list(s.account()), (List<ScriptInfo> list) -> {
            StringBuilder sb = new StringBuilder();
            for (ScriptInfo script : list) {
                sb.append(Tokens.string(script.name())).append(script.active() ? " ACTIVE" : "").append("\r\n");
            }
            s.reply(sb + "OK \"Listscripts completed.\"");
        });
    }

    void getScript(Args a) {
        String script = ScriptNames.check(a.string("the script name"));
        a.end();
        s.async(scripts().get(s.account(), script), (Optional<String> source) -> {
            if (source.isEmpty()) {
                s.no("NONEXISTENT", "There is no script named " + script + ".");
            } else {
                String text = source.get();
                s.reply("{" + text.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + text
                        + "\r\nOK \"Getscript completed.\"");
            }
        });
    }

    void setActive(Args a) {
        String script = a.string("the script name");
        a.end();
        String checked = script.isEmpty() ? "" : ScriptNames.check(script);
        s.async(scripts().setActive(s.account(), checked), v -> s.ok("Setactive completed."));
    }

    void deleteScript(Args a) {
        String script = ScriptNames.check(a.string("the script name"));
        a.end();
        s.async(scripts().delete(s.account(), script), v -> s.ok("Deletescript completed."));
    }

    void renameScript(Args a) {
        String from = ScriptNames.check(a.string("the old script name"));
        String to = ScriptNames.check(a.string("the new script name"));
        a.end();
        s.async(scripts().rename(s.account(), from, to), v -> s.ok("Renamescript completed."));
    }
}
