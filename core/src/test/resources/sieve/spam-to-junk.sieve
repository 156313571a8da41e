# docker-mailserver MOVE_SPAM_TO_JUNK=1 with MARK_SPAM_AS_READ=1, as a global before script
require ["fileinto", "imap4flags"];

if anyof (header :contains "X-Spam" "Yes",
          header :contains "X-Spam-Flag" "YES") {
    setflag "\\Seen";
    fileinto "Junk";
    stop;
}
