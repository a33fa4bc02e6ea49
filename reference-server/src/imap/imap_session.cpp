// The IMAP session core: input framing, line modes (IDLE, AUTHENTICATE), dispatch through the
// command table with state checks, untagged update delivery (RFC 3501 §5.2, §5.3, §7.4.1) and the
// session-level faults.
#include "imap/imap_session.hpp"
#include "imap/commands.hpp"

#include <algorithm>

#include "mailspec/protocol/imap/mailbox_name.hpp"
#include "mailspec/protocol/imap/response_writer.hpp"
#include "mailspec/protocol/mime/header.hpp"
#include "sessions.hpp"

namespace mailspec::server {

std::unique_ptr<Session> make_imap_session(Host& host, const SessionContext& context) {
    return std::make_unique<imap::ImapSession>(host, context);
}

namespace imap {

namespace pi = protocol::imap;

long MailboxView::index_of(Uid uid) const {
    auto it = std::lower_bound(messages.begin(), messages.end(), uid,
                               [](const ViewMessage& m, Uid u) { return m.uid < u; });
    if (it != messages.end() && it->uid == uid) return it - messages.begin();
    // not sorted (a late, lower UID appended at the end): linear fallback
    for (std::size_t i = 0; i < messages.size(); ++i)
        if (messages[i].uid == uid) return static_cast<long>(i);
    return -1;
}

ImapSession::ImapSession(Host& host, const SessionContext& context)
    : host_(host), context_(context), tls_(context.implicit_tls()) {
    pi::ParserLimits limits;
    limits.max_line = context.config.limits.imap_max_line;
    limits.max_literal = context.config.limits.max_literal;
    limits.literal_plus = true;
    parser_.set_limits(limits);
}

ImapSession::~ImapSession() = default;

const std::string& ImapSession::user() const {
    static const std::string none;
    if (auto* a = std::get_if<Authenticated>(&state_)) return a->user;
    if (auto* s = std::get_if<Selected>(&state_)) return s->user;
    return none;
}

ChangeOrigin ImapSession::origin() const {
    if (auto* s = std::get_if<Selected>(&state_)) return s->view->subscription.id();
    return 0;
}

bool ImapSession::plaintext_login_allowed() const {
    return tls_ || context_.config.options.allow_plaintext_auth;
}

std::string ImapSession::capabilities() const {
    // Exactly what this session implements (RFC 3501 §7.2.1).
    std::string caps = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN SPECIAL-USE";
    if (std::holds_alternative<NotAuthenticated>(state_)) {
        // Fault imap.stale-capability-after-tls (RFC 3501 §6.2.1, §6.2.3): after STARTTLS the
        // list is still the cleartext one (STARTTLS, LOGINDISABLED).
        bool stale = tls_ && context_.endpoint.offers_starttls() && faults().has("imap.stale-capability-after-tls");
        if ((!tls_ || stale) && context_.endpoint.offers_starttls()) caps += " STARTTLS";
        if (plaintext_login_allowed() && !stale) caps += " AUTH=PLAIN";
        else caps += " LOGINDISABLED";
    }
    return caps;
}

void ImapSession::on_open() {
    host_.set_idle_timeout(context_.config.limits.imap_idle_timeout);
    if (faults().has("imap.preauth-greeting") && !tls_ && !context_.config.users.empty()) {
        // Fault: PREAUTH on a cleartext connection (RFC 3501 §7.1.4, RFC 8314 §3)
        login_as(context_.config.users.front().login);
        untagged("PREAUTH [CAPABILITY " + capabilities() + "] " + context_.config.hostname +
                 " mailspec IMAP4rev1 logged in as " + user());
        flush_output();
        return;
    }
    untagged("OK [CAPABILITY " + capabilities() + "] " + context_.config.hostname + " mailspec IMAP4rev1 ready");
    flush_output();
}

void ImapSession::on_data(std::string_view bytes) {
    if (closed_) return;
    buffer_.append(bytes);
    process();
    flush_output();
}

void ImapSession::on_tls_ready() {
    tls_ = true;
    tls_pending_ = false;
    process();  // only with the starttls-injection fault is anything buffered here
    flush_output();
}

void ImapSession::on_idle_timeout() {
    if (closed_) return;
    untagged("BYE Autologout; idle for too long");
    closed_ = true;
    close_connection();
}

void ImapSession::on_closed() {
    closed_ = true;
    state_ = LoggedOut{};  // drops the subscription
}

void ImapSession::send(std::string bytes) {
    if (closed_) return;
    out_ += bytes;
    if (out_.size() >= kOutputChunk) flush_output();
}

void ImapSession::flush_output() {
    if (out_.empty()) return;
    std::string bytes;
    bytes.swap(out_);
    host_.send(std::move(bytes));
}

void ImapSession::close_connection() {
    flush_output();
    closed_ = true;
    host_.close();
}

void ImapSession::untagged(const std::string& text) {
    if (closed_) return;
    send("* " + text + "\r\n");
}

void ImapSession::complete(const Command& command, std::string_view status, std::string_view code,
                           std::string_view text) {
    if (closed_) return;
    if (selected()) flush_updates(current_allows_expunge_);
    std::string tag = command.tag;
    if (faults().has("imap.wrong-tag")) tag = "X" + tag;  // Fault: RFC 3501 §2.2.1
    std::string faulted;
    if (auto wrong = wrong_status_for(command)) {  // Fault imap.wrong-status: RFC 3501 §7.1
        faulted = *wrong;
        status = faulted;
    }
    send(pi::tagged(tag, status, code, text));
}

std::optional<std::string> ImapSession::wrong_status_for(const Command& command) const {
    auto args = faults().args("imap.wrong-status");
    if (args.empty()) return std::nullopt;
    std::string name = protocol::mime::to_upper(command.name);
    bool uid_form = name == "UID" && !command.args.empty() && command.args[0].is_atom();
    if (uid_form) name = protocol::mime::to_upper(command.args[0].value);
    bool unknown = !uid_form && name != "SYNTAX" && find_command(name) == nullptr;
    for (const auto& arg : args) {
        auto colon = arg.rfind(':');
        if (colon == std::string::npos) continue;  // enable() rejected such arguments already
        std::string cmd = protocol::mime::to_upper(arg.substr(0, colon));
        if (cmd == name || (uid_form && cmd == "UID") || (unknown && cmd == "UNKNOWN"))
            return protocol::mime::to_upper(arg.substr(colon + 1));
    }
    return std::nullopt;
}

void ImapSession::store_failure(const Command& c, const StoreError& error, bool trycreate) {
    std::string code;
    switch (error.code) {
    case StoreErrc::no_such_mailbox: code = trycreate ? "TRYCREATE" : "NONEXISTENT"; break;
    case StoreErrc::mailbox_exists: code = "ALREADYEXISTS"; break;
    case StoreErrc::invalid_name: code = "CANNOT"; break;
    case StoreErrc::not_permitted: code = "CANNOT"; break;
    case StoreErrc::has_children: code = "INUSE"; break;
    case StoreErrc::no_such_message: code = "EXPUNGEISSUED"; break;
    case StoreErrc::no_such_user: code = "SERVERBUG"; break;
    case StoreErrc::io_error: code = "SERVERBUG"; break;
    }
    no(c, error.message, code);
}

std::optional<std::string> ImapSession::mailbox_name(const Arg& arg, std::string& error) const {
    if (!arg.is_astring()) {
        error = "expected a mailbox name";
        return std::nullopt;
    }
    std::string name = arg.value;
    if (!pi::decode_mailbox_name(name, error)) {
        error = "invalid mailbox name (RFC 3501 §5.1.3 modified UTF-7): " + error;
        return std::nullopt;
    }
    if (protocol::mime::iequals(name, "INBOX")) return std::string("INBOX");
    if (name.size() > 6 && protocol::mime::iequals(name.substr(0, 6), "INBOX/")) name = "INBOX" + name.substr(5);
    if (auto why = Store::invalid_mailbox_name(name)) {
        error = "invalid mailbox name: " + *why;
        return std::nullopt;
    }
    return name;
}

void ImapSession::login_as(const std::string& login) {
    (void)store().ensure_user(login);
    state_ = Authenticated{login};
}

void ImapSession::select(std::unique_ptr<MailboxView> view) {
    std::string u = user();
    state_ = Selected{u, std::move(view)};
}

void ImapSession::deselect() {
    std::string u = user();
    state_ = Authenticated{u};
}

void ChangeInbox::push(const MailboxChange& change) {
    std::lock_guard lock(mutex_);
    changes_.push_back(change);
}

std::vector<MailboxChange> ChangeInbox::take() {
    std::lock_guard lock(mutex_);
    std::vector<MailboxChange> out;
    out.swap(changes_);
    return out;
}

StoreResult<Store::Watch> ImapSession::watch_view(MailboxView& view, Store::RecentMode recent) {
    // The callback runs on the changing thread: it only fills the inbox and wakes this session's
    // strand (Host::post is thread-safe; Host drops the call once the connection is gone, and the
    // subscription, destroyed with the view, never calls back after its destructor).
    auto inbox = view.inbox;
    Host* host = &host_;
    ImapSession* self = this;
    return store().watch(user(), view.name, recent, [inbox, host, self](const MailboxChange& change) {
        inbox->push(change);
        host->post([self] { self->take_changes(); });
    });
}

void ImapSession::take_changes() {
    // RFC 2177: while idling, each change is announced as it is taken, in order.
    drain_inbox(mode_ == Mode::idle);
    if (mode_ == Mode::idle) flush_output();
}

void ImapSession::drain_inbox(bool announce_each) {
    auto* sel = selected();
    if (!sel || closed_) return;
    auto inbox = sel->view->inbox;  // record_change may end the session (Kind::gone)
    for (const auto& change : inbox->take()) {
        if (closed_ || selected() != sel) return;
        record_change(change);
        if (announce_each) announce_pending(true);
    }
}

void ImapSession::record_change(const MailboxChange& change) {
    auto* sel = selected();
    if (!sel || closed_) return;
    MailboxView& view = *sel->view;
    bool own = change.origin != 0 && change.origin == view.subscription.id();
    switch (change.kind) {
    case MailboxChange::Kind::appended:
        // Fault imap.no-untagged-exists (RFC 3501 §7.3.1, §5.2): messages that other sessions
        // or deliveries add are never announced (no EXISTS / RECENT).
        if (own || !faults().has("imap.no-untagged-exists"))
            for (const auto& m : change.appended) view.pending_appended.push_back(m);
        break;
    case MailboxChange::Kind::expunged:
        if (!own) view.pending_expunged.insert(view.pending_expunged.end(), change.uids.begin(), change.uids.end());
        break;
    case MailboxChange::Kind::flags:
        // Fault imap.no-untagged-flags: other sessions' flag changes are never announced
        // (RFC 3501 §7.4.2, §5.2).
        // Own changes are kept too: the newest flags win, and the STORE handler has already
        // shown them, so they are announced only if a later change of another session differs.
        if (own || !faults().has("imap.no-untagged-flags"))
            for (const auto& f : change.flags) view.pending_flags[f.uid] = f.flags;
        break;
    case MailboxChange::Kind::gone:
        untagged("BYE The selected mailbox was deleted or renamed by another session");
        closed_ = true;
        close_connection();
        return;
    }
}

namespace {
std::string flag_list(const ViewMessage& m) {
    std::string out = "(";
    bool first = true;
    for (const auto& n : m.flags.names()) {
        if (!first) out += ' ';
        out += n;
        first = false;
    }
    if (m.recent) out += first ? "\\Recent" : " \\Recent";
    out += ')';
    return out;
}
}  // namespace

void ImapSession::flush_updates(bool allow_expunge) {
    drain_inbox(false);
    announce_pending(allow_expunge);
}

void ImapSession::announce_pending(bool allow_expunge) {
    auto* sel = selected();
    if (!sel || closed_) return;
    MailboxView& view = *sel->view;
    if (allow_expunge && !view.pending_expunged.empty()) {
        for (Uid uid : view.pending_expunged) {
            long idx = view.index_of(uid);
            if (idx >= 0) {
                untagged(std::to_string(idx + 1) + " EXPUNGE");
                view.messages.erase(view.messages.begin() + idx);
            }
            auto& pa = view.pending_appended;
            pa.erase(std::remove_if(pa.begin(), pa.end(), [uid](const MessageInfo& m) { return m.uid == uid; }),
                     pa.end());
            view.pending_flags.erase(uid);
        }
        view.pending_expunged.clear();
    }
    if (!view.pending_appended.empty()) {
        std::size_t before = view.messages.size();
        for (const auto& info : view.pending_appended) {
            if (view.index_of(info.uid) >= 0) continue;
            ViewMessage m;
            m.uid = info.uid;
            m.flags = info.flags;
            m.size = info.size;
            m.internal_date = info.internal_date;
            view.messages.push_back(std::move(m));
            view.uidnext = std::max<Uid>(view.uidnext, info.uid + 1);
        }
        view.pending_appended.clear();
        if (view.messages.size() != before) {
            if (!view.read_only) {
                if (auto recent = store().claim_recent(user(), view.name)) {
                    for (Uid uid : *recent) {
                        long idx = view.index_of(uid);
                        if (idx >= 0 && !faults().has("imap.no-recent")) view.messages[static_cast<std::size_t>(idx)].recent = true;
                    }
                }
            }
            std::size_t recent = static_cast<std::size_t>(
                std::count_if(view.messages.begin(), view.messages.end(), [](const ViewMessage& m) { return m.recent; }));
            untagged(std::to_string(view.messages.size()) + " EXISTS");
            untagged(std::to_string(recent) + " RECENT");
        }
    }
    if (!view.pending_flags.empty()) {
        for (const auto& [uid, flags] : view.pending_flags) {
            long idx = view.index_of(uid);
            if (idx < 0) continue;
            auto& m = view.messages[static_cast<std::size_t>(idx)];
            if (m.flags == flags) continue;
            m.flags = flags;
            untagged(std::to_string(idx + 1) + " FETCH (FLAGS " + flag_list(m) + " UID " + std::to_string(uid) + ")");
        }
        view.pending_flags.clear();
    }
}

std::optional<std::vector<std::size_t>> ImapSession::resolve(const pi::SequenceSet& set, bool uid,
                                                             std::string& error) const {
    std::vector<std::size_t> out;
    auto* sel = std::get_if<Selected>(&state_);
    if (!sel) {
        error = "no mailbox selected";
        return std::nullopt;
    }
    const auto& msgs = sel->view->messages;
    if (uid) {
        Uid largest = msgs.empty() ? 0 : msgs.back().uid;
        for (const auto& m : msgs) largest = std::max(largest, m.uid);
        for (std::size_t i = 0; i < msgs.size(); ++i)
            if (set.contains(msgs[i].uid, largest)) out.push_back(i);
        return out;
    }
    std::uint32_t count = static_cast<std::uint32_t>(msgs.size());
    for (const auto& r : set.ranges) {
        for (std::uint32_t n : {r.first, r.last}) {
            if (n == 0 && count == 0) {
                error = "'*' used in an empty mailbox";
                return std::nullopt;
            }
            if (n > count) {
                error = "message sequence number " + std::to_string(n) + " does not exist (mailbox has " +
                        std::to_string(count) + " messages)";
                return std::nullopt;
            }
        }
    }
    for (std::uint32_t i = 1; i <= count; ++i)
        if (set.contains(i, count)) out.push_back(i - 1);
    return out;
}

void ImapSession::begin_idle(const Command& command) {
    mode_ = Mode::idle;
    line_command_ = command;
    send("+ idling\r\n");
    flush_updates(true);
}

void ImapSession::begin_authenticate(const Command& command, std::string mechanism) {
    mode_ = Mode::authenticate;
    line_command_ = command;
    line_mechanism_ = std::move(mechanism);
    send("+ \r\n");
}

void ImapSession::begin_starttls() {
    if (!faults().has("imap.starttls-injection")) buffer_.clear();  // RFC 2595 §3.1
    tls_pending_ = true;
    flush_output();  // the tagged OK goes out in cleartext before the handshake
    host_.start_tls();
}

void ImapSession::logout() {
    untagged("BYE mailspec IMAP4rev1 server logging out");
    state_ = LoggedOut{};
}

bool ImapSession::expunge_allowed_for(const Command& command) const {
    // RFC 3501 §7.4.1: no EXPUNGE while responding to FETCH, STORE or SEARCH (UID forms may).
    return command.name != "FETCH" && command.name != "STORE" && command.name != "SEARCH";
}

void ImapSession::handle_line_mode() {
    auto lf = buffer_.find('\n');
    if (lf == std::string::npos) {
        if (buffer_.size() > parser_.limits().max_line) {
            untagged("BYE line too long");
            closed_ = true;
            close_connection();
        }
        return;
    }
    std::string line = buffer_.substr(0, lf);
    buffer_.erase(0, lf + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    Mode mode = mode_;
    mode_ = Mode::command;
    in_command_ = true;
    current_allows_expunge_ = true;
    if (mode == Mode::idle) {
        if (protocol::mime::iequals(line, "DONE")) ok(line_command_, "IDLE terminated");
        else bad(line_command_, "expected DONE to end IDLE, found \"" + pi::describe_bytes(line) + "\"");
    } else {
        finish_authenticate(*this, line_command_, line_mechanism_, line);
    }
    in_command_ = false;
}

void ImapSession::process() {
    for (int guard = 0; guard < 100000; ++guard) {
        if (closed_ || tls_pending_ || std::holds_alternative<LoggedOut>(state_)) {
            if (std::holds_alternative<LoggedOut>(state_) && !closed_) {
                closed_ = true;
                close_connection();
            }
            return;
        }
        if (mode_ != Mode::command) {
            std::size_t before = buffer_.size();
            handle_line_mode();
            if (buffer_.size() == before) return;
            continue;
        }
        if (buffer_.empty()) return;
        Command command;
        std::size_t consumed = 0;
        pi::ParseError error;
        switch (parser_.parse(buffer_, command, consumed, error)) {
        case pi::ParseStatus::need_more:
            return;
        case pi::ParseStatus::need_continuation:
            send("+ Ready for literal data\r\n");
            parser_.continuation_sent();
            return;
        case pi::ParseStatus::error:
            if (error.fatal) {
                untagged("BYE " + error.message);
                closed_ = true;
                close_connection();
                return;
            }
            buffer_.erase(0, consumed);
            {
                // Fault imap.wrong-status=SYNTAX:STATUS (RFC 3501 §7.1.5): a command that does
                // not parse is completed with STATUS instead of BAD.
                Command bad_syntax;
                bad_syntax.name = "SYNTAX";
                auto wrong = wrong_status_for(bad_syntax);
                send(pi::tagged(error.tag, wrong ? *wrong : std::string("BAD"), "", error.message));
            }
            if (++errors_ >= context_.config.limits.max_errors) {
                untagged("BYE Too many invalid commands");
                closed_ = true;
                close_connection();
                return;
            }
            continue;
        case pi::ParseStatus::complete:
            buffer_.erase(0, consumed);
            handle_command(command);
            continue;
        }
    }
}

void ImapSession::handle_command(const Command& command) {
    ++commands_;
    if (auto n = faults().int_arg("imap.disconnect-at"); n && static_cast<std::uint64_t>(*n) == commands_) {
        untagged("BYE disconnecting (fault imap.disconnect-at)");
        closed_ = true;
        close_connection();
        return;
    }
    std::string name = command.name;
    std::span<const Arg> args(command.args);
    bool uid = false;
    in_command_ = true;
    current_allows_expunge_ = expunge_allowed_for(command);
    if (name == "UID") {
        if (args.empty() || !args[0].is_atom()) {
            bad(command, "UID needs a command: COPY, MOVE, FETCH, SEARCH, STORE or EXPUNGE");
            in_command_ = false;
            return;
        }
        name = "UID " + protocol::mime::to_upper(args[0].value);
        args = args.subspan(1);
        uid = true;
    }
    const CommandSpec* spec = find_command(name);
    unsigned mask = std::holds_alternative<NotAuthenticated>(state_) ? kNotAuth
                    : std::holds_alternative<Authenticated>(state_) ? kAuth
                                                                     : kSelected;
    if (!spec) {
        ++errors_;
        bad(command, "unknown command " + pi::describe_bytes(name, 40));
    } else if (!(spec->states & mask)) {
        ++errors_;
        const char* why = mask == kNotAuth ? "log in first" : mask == kAuth ? "select a mailbox first"
                                                                             : "not allowed with a mailbox selected";
        bad(command, std::string(spec->name) + " is not allowed in this state: " + why);
    } else {
        spec->handler(*this, command, args, uid);
    }
    in_command_ = false;
    if (errors_ >= context_.config.limits.max_errors && !closed_) {
        untagged("BYE Too many invalid commands");
        closed_ = true;
        close_connection();
    }
}

}  // namespace imap
}  // namespace mailspec::server
