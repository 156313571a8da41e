#!/usr/bin/env bash
# SpamAssassin's and Rspamd's Bayes trained and judged on the split `./mailfleet bench corpus --compare`
# wrote, so docs/benchmarks.md compares the three classifiers in one run.
# Usage: benchmarks/bayes-compare.sh WORKDIR
#   WORKDIR/train/spam, WORKDIR/train/ham: messages to learn (one raw message per file)
#   WORKDIR/test: messages to judge
# Writes WORKDIR/scores.tsv: <tool> TAB <file name> TAB <spam probability 0..1> for every judged message
# (SpamAssassin: its _BAYES_ probability; Rspamd: its probability from BAYES_SPAM's or BAYES_HAM's
# confidence, 0.5 without either). Each tool gets a private configuration and private databases under
# WORKDIR (SpamAssassin runs its Bayes rules only; Rspamd its usual rules without DNS, and only its BAYES_*
# symbols are read); nothing system-wide is written. Missing packages are installed with apt-get.
# BAYES_MIN_LEARNS (default 200, both tools' own default) lowers the messages of each kind a model needs;
# BAYES_TOOLS (default "spamassassin rspamd") picks the tools.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
work="$(cd "${1:?usage: bayes-compare.sh WORKDIR}" && pwd)"
[[ -d "$work/train/spam" && -d "$work/train/ham" && -d "$work/test" ]] || bench_die "$work has no train/spam, train/ham and test"
scores="$work/scores.tsv"
min_learns="${BAYES_MIN_LEARNS:-200}"
: > "$scores"

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  bench_log "$1 is missing: installing Debian's $2 (apt-get install -y $2)"
  { apt-get install -y "$2" || { apt-get update && apt-get install -y "$2"; }; } >&2 || bench_die "could not install $2"
}

spamassassin_bayes() {
  need sa-learn spamassassin
  local sa="$work/sa"
  rm -rf "$sa"
  mkdir -p "$sa/site" "$sa/rules" "$sa/db"
  # the plugin loaders as installed, the Bayes rules only, and a local.cf that turns Bayes on and off all else
  cp /etc/spamassassin/*.pre "$sa/site/"
  sed -i -e 's/^loadplugin/# loadplugin/' \
    -e 's/^# *loadplugin Mail::SpamAssassin::Plugin::\(Bayes\|Check\)$/loadplugin Mail::SpamAssassin::Plugin::\1/' "$sa/site/"*.pre
  for p in Check Bayes; do
    grep -q "^loadplugin Mail::SpamAssassin::Plugin::$p\$" "$sa/site/"*.pre \
      || echo "loadplugin Mail::SpamAssassin::Plugin::$p" >> "$sa/site/init.pre"
  done
  # the defaults and the registry boundaries (top-level domains, which Bayes's URI tokens use) besides the Bayes rules
  cp /usr/share/spamassassin/10_default_prefs.cf /usr/share/spamassassin/20_aux_tlds.cf /usr/share/spamassassin/23_bayes.cf "$sa/rules/"
  cat > "$sa/site/local.cf" <<EOF
use_bayes 1
use_bayes_rules 1
bayes_auto_learn 0
bayes_path $sa/db/bayes
bayes_file_mode 0600
skip_rbl_checks 1
use_razor2 0
use_pyzor 0
add_header all Bayes _BAYES_
bayes_min_spam_num $min_learns
bayes_min_ham_num $min_learns
EOF
  : > "$sa/user_prefs"
  local args=(-C "$sa/rules" --siteconfigpath "$sa/site" -p "$sa/user_prefs" -L)
  bench_log "SpamAssassin: sa-learn --spam $(ls "$work/train/spam" | wc -l) messages"
  sa-learn "${args[@]}" --dbpath "$sa/db/bayes" --spam "$work/train/spam" >&2
  bench_log "SpamAssassin: sa-learn --ham $(ls "$work/train/ham" | wc -l) messages"
  sa-learn "${args[@]}" --dbpath "$sa/db/bayes" --ham "$work/train/ham" >&2
  sa-learn "${args[@]}" --dbpath "$sa/db/bayes" --dump magic >&2 || true
  bench_log "SpamAssassin: judging $(ls "$work/test" | wc -l) messages"
  # one process for all messages (spamassassin -t starts Perl and reads the rules per message)
  perl -MMail::SpamAssassin -e '
    my ($rules, $site, $prefs, $dir) = @ARGV;
    my $sa = Mail::SpamAssassin->new({ rules_filename => $rules, site_rules_filename => $site,
        userprefs_filename => $prefs, local_tests_only => 1, dont_copy_prefs => 1 });
    $sa->init(1);
    opendir(my $d, $dir) or die "$dir: $!";
    for my $f (sort grep { !/^\./ } readdir($d)) {
      open(my $in, "<", "$dir/$f") or die "$f: $!";
      local $/; my $text = <$in>; close($in);
      my $mail = $sa->parse($text);
      my $status = $sa->check($mail);
      my $p = $status->get_tag("BAYES");
      $p = 0.5 unless defined $p && $p =~ /^[0-9.]+$/;
      print "spamassassin\t$f\t$p\n";
      $status->finish(); $mail->finish();
    }' "$sa/rules" "$sa/site" "$sa/user_prefs" "$work/test" >> "$scores" \
    2> >(grep -Ev "gibberish entry found in journal|^t [0-9]+ [0-9a-f]+$" >&2) # its journal of token access times: noise

}

rspamd_bayes() {
  need rspamd rspamd
  local rs="$work/rspamd"
  rm -rf "$rs"
  mkdir -p "$rs/db" "$rs/override.d"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # Debian's rspamd 3.4 still has the sqlite3 statistics backend: the same Bayes without a Redis server
  cat > "$rs/override.d/classifier-bayes.conf" <<EOF
backend = "sqlite3";
autolearn = false;
min_learns = $min_learns;
# its record of learned messages here too (by default a file under /var/lib/rspamd, shared by every run)
cache { type = "sqlite3"; path = "$rs/db/learn_cache.sqlite"; }
learn_condition = "return function(task, is_spam, is_unlearn) return true end";
statfile { symbol = "BAYES_HAM"; spam = false; path = "$rs/db/ham.sqlite"; }
statfile { symbol = "BAYES_SPAM"; spam = true; path = "$rs/db/spam.sqlite"; }
EOF
  cat > "$rs/rspamd.conf" <<EOF
.include "\$CONFDIR/common.conf"
options {
  pidfile = "$rs/rspamd.pid";
  dns { nameserver = ["127.0.0.1:1"]; timeout = 0.5s; retransmits = 1; }
  disable_hyperscan = true;
}
logging { type = "file"; filename = "$rs/rspamd.log"; level = "notice"; }
worker "controller" {
  bind_socket = "127.0.0.1:$port";
  count = 1;
  secure_ip = "127.0.0.1";
  .include "\$CONFDIR/worker-controller.inc"
}
EOF
  local cmd=(rspamd -f -i -c "$rs/rspamd.conf" "--var=DBDIR=$rs/db" "--var=RUNDIR=$rs" "--var=LOGDIR=$rs"
    "--var=LOCAL_CONFDIR=$rs")
  [[ "$(id -u)" == 0 ]] && cmd+=(-u root -g root --insecure)
  "${cmd[@]}" > "$rs/console.log" 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  local waited=0
  until rspamc -h "127.0.0.1:$port" stat >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$rs/console.log" >&2; bench_die "rspamd did not start"; }
    sleep 1; waited=$((waited + 1)); ((waited < 120)) || bench_die "rspamd did not start within 120 s"
  done
  # rspamc fails when a message was learned before: the corpus holds a few identical messages
  bench_log "Rspamd: learn_spam $(ls "$work/train/spam" | wc -l) messages"
  rspamc -h "127.0.0.1:$port" -n 2 learn_spam "$work/train/spam" > "$rs/learn-spam.out" \
    || bench_log "Rspamd: $(grep -c 'already learned' "$rs/learn-spam.out") spam already learned (duplicates)"
  bench_log "Rspamd: learn_ham $(ls "$work/train/ham" | wc -l) messages"
  rspamc -h "127.0.0.1:$port" -n 2 learn_ham "$work/train/ham" > "$rs/learn-ham.out" \
    || bench_log "Rspamd: $(grep -c 'already learned' "$rs/learn-ham.out") ham already learned (duplicates)"
  rspamc -h "127.0.0.1:$port" stat | grep -iE "bayes|learned|statfile" >&2 || true
  bench_log "Rspamd: judging $(ls "$work/test" | wc -l) messages"
  rspamc -h "127.0.0.1:$port" -n 2 symbols "$work/test" > "$rs/check.out" || bench_log "Rspamd: some checks failed"
  # "Results for file: DIR/NAME (…)" then "Symbol: BAYES_SPAM (5.10)[99.98%]" or BAYES_HAM; the
  # percentage is Rspamd's confidence, (p - 0.5) * 200 for spam and (0.5 - p) * 200 for ham (bayes.c)
  awk -v OFS='\t' '
    function flush() { if (file != "") print "rspamd", file, p }
    /^Results for file: / { flush(); file = $4; sub(/.*\//, "", file); p = 0.5 }
    /Symbol: BAYES_(SPAM|HAM)/ {
      if (match($0, /\[[0-9.]+%/)) { v = substr($0, RSTART + 1, RLENGTH - 2) / 200;
        p = ($0 ~ /BAYES_SPAM/) ? 0.5 + v : 0.5 - v }
    }
    END { flush() }' "$rs/check.out" >> "$scores"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  trap - EXIT
}

for tool in ${BAYES_TOOLS:-spamassassin rspamd}; do
  case "$tool" in
    spamassassin) spamassassin_bayes ;;
    rspamd) rspamd_bayes ;;
    *) bench_die "unknown tool $tool (BAYES_TOOLS: spamassassin rspamd)" ;;
  esac
done
bench_log "scores in $scores ($(wc -l < "$scores") lines)"
