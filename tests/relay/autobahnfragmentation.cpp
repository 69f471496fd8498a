// SPDX-License-Identifier: MIT
// The Autobahn sections 5 (fragmentation) and 10 (miscellaneous), and the rows RFC 6455 requires
// that Autobahn does not test.
#include "autobahncases.h"

namespace Autobahn {

namespace {

// A chat message in two text frames: the text is fragment1 + fragment2.
QByteArrayList twoFragments(const QByteArray &first = "fragment1", const QByteArray &second = "fragment2")
{
    return textFrames({chatPrefix() + first, second + chatSuffix()});
}

QList<ConformanceStep> frameWise(const QByteArrayList &frames)
{
    QList<ConformanceStep> steps;
    for (const QByteArray &f : frames)
        steps.append(send(f));
    return steps;
}

void addControlAndTwoFragmentCases()
{
    addRow("5.1 ping fragmented into 2 fragments: 1002",
           {send(frame(9, "fragment1", false) + continuation("fragment2"))}, fail(1002));
    addRow("5.2 pong fragmented into 2 fragments: 1002",
           {send(frame(10, "fragment1", false) + continuation("fragment2"))}, fail(1002));
    const QByteArrayList two = twoFragments();
    addRow("5.3 text message in 2 fragments", {send(two.join()), message("fragment1fragment2")}, answered());
    addRow("5.4 text message in 2 fragments, frame-wise chops",
           frameWise(two) << message("fragment1fragment2"), answered());
    addRow("5.5 text message in 2 fragments, octet-wise chops",
           {send(two.join(), 1), message("fragment1fragment2")}, answered());
    const QByteArray between = ping("ping payload");
    addRow("5.6 text message in 2 fragments, ping in between: pong, then the message",
           {send(two[0] + between + two[1]), pong("ping payload"), message("fragment1fragment2")},
           answered());
    addRow("5.7 text message in 2 fragments, ping in between, frame-wise chops",
           frameWise({two[0], between, two[1]}) << pong("ping payload") << message("fragment1fragment2"),
           answered());
    addRow("5.8 text message in 2 fragments, ping in between, octet-wise chops",
           {send(two[0] + between + two[1], 1), pong("ping payload"), message("fragment1fragment2")},
           answered());
}

void addNothingToContinueCases()
{
    const QByteArray hello = text(chat("Hello, world!"));
    const struct
    {
        const char *number;
        bool fin;
        int chopping; // 0: one chop, 1: frame-wise, 2: octet-wise
    } rows[] = {{"5.9", true, 0},   {"5.10", true, 1},  {"5.11", true, 2},
                {"5.12", false, 0}, {"5.13", false, 1}, {"5.14", false, 2}};
    const char *chopNames[] = {"one chop", "frame-wise chops", "octet-wise chops"};
    for (const auto &r : rows) {
        const QByteArray cont = continuation("non-continuation payload", r.fin);
        const QByteArray name = QByteArray(r.number) + " continuation (FIN = " + (r.fin ? "1" : "0") +
                                ") with nothing to continue, then text, " + chopNames[r.chopping] + ": 1002";
        const QList<ConformanceStep> steps =
            r.chopping == 1 ? frameWise({cont, hello}) : QList{send(cont + hello, r.chopping == 2 ? 1 : 0)};
        addRow(name, steps, fail(1002));
    }
    addRow("5.9 continuation with nothing to continue: 1002, client silent",
           {send(continuation("non-continuation payload") + hello)}, fail(1002, false));
    const QByteArrayList two = twoFragments();
    addRow("5.15 text in 2 fragments, continuation (FIN = 0) with nothing to continue, text: message, 1002",
           {send(two.join() + continuation("fragment3", false) + text(chat("fragment4"))),
            message("fragment1fragment2")},
           fail(1002));
    for (const bool fin : {false, true}) {
        QByteArray twice;
        for (int i = 0; i < 2; ++i) {
            twice += continuation("fragment1", fin) + text(chatPrefix() + "fragment2", false) +
                     continuation("fragment3" + chatSuffix());
        }
        addRow(fin ? "5.17 2x (continuation FIN = 1 with nothing to continue, text in 2 fragments): 1002"
                   : "5.16 2x (continuation FIN = 0 with nothing to continue, text in 2 fragments): 1002",
               {send(twice)}, fail(1002));
    }
    addRow("5.18 text in 2 fragments, both with opcode text: 1002",
           {send(text(chatPrefix() + "fragment1", false) + text("fragment2" + chatSuffix()))}, fail(1002));
}

void addPingsBetweenFragmentsCases()
{
    const QByteArrayList frames = textFrames(
        {chatPrefix() + "fragment1", "fragment2", "fragment3", "fragment4", "fragment5" + chatSuffix()});
    const QByteArray whole = "fragment1fragment2fragment3fragment4fragment5";
    // The first pong must come before the rest of the message is sent.
    addRow("5.19 text in 5 fragments, a ping after the 2nd (answered before the rest is sent) and the 4th",
           {send(frames[0] + frames[1] + ping("pongme 1!")), pong("pongme 1!"),
            send(frames[2] + frames[3] + ping("pongme 2!") + frames[4]), pong("pongme 2!"), message(whole)},
           answered());
    QList<ConformanceStep> steps = frameWise({frames[0], frames[1], ping("pongme 1!")});
    steps << pong("pongme 1!") << frameWise({frames[2], frames[3], ping("pongme 2!"), frames[4]})
          << pong("pongme 2!") << message(whole);
    addRow("5.20 as 5.19, frame-wise chops", steps, answered());
}

} // namespace

void addFragmentationCases()
{
    addControlAndTwoFragmentCases();
    addNothingToContinueCases();
    addPingsBetweenFragmentsCases();
}

void addMiscCases()
{
    const QByteArray payload = chatOfSize(65536);
    QList<qsizetype> sizes(payload.size() / 1300, 1300);
    addRow("10.1.1 text message of 65536 octets in fragments of 1300 octets",
           {send(textFrames(fragments(payload, sizes)).join()),
            message(payload.mid(chatPrefix().size(), payload.size() - chat({}).size()))},
           answered());
}

void addRfcCases()
{
    addRow("RFC 5.1 unmasked text frame: 1002", {send(frame(1, chat("unmasked"), true, 0, false))},
           fail(1002));
    addRow("RFC 5.1 unmasked ping frame: 1002", {send(frame(9, "unmasked", true, 0, false))}, fail(1002));
    addRow("RFC 5.4 binary frame inside a fragmented text message: 1002",
           {send(text(chatPrefix() + "fragment1", false) + binary("binary"))}, fail(1002));
    addRow("RFC 5.5 fragmented close frame: 1002",
           {send(frame(8, "\x03\xe8", false) + continuation("reason"))}, fail(1002));
    addRow("RFC 5.5 pong of 126 octets: 1002", {send(pongFrame(QByteArray(126, '*')))}, fail(1002));
    // Fragment boundaries inside a multi-byte character: valid, delivered intact.
    const QByteArray word = "Gr\xc3\xb6\xc3\x9f"
                            "e \xe2\x82\xac \xf0\x9f\x98\x80!";
    const qsizetype at = chatPrefix().size();
    const struct
    {
        const char *what;
        qsizetype split;
    } splits[] = {{"2-octet character after its 1st octet", at + 3},
                  {"3-octet character after its 2nd octet", at + 10},
                  {"4-octet character after its 1st octet", at + 13},
                  {"4-octet character after its 3rd octet", at + 15}};
    for (const auto &s : splits) {
        addRow(QByteArray("RFC 5.6 text in 2 fragments split inside a ") + s.what,
               {send(textFrames(fragments(chat(word), {s.split})).join()), message(word)}, answered());
    }
    addRow("RFC 5.6 text with a 4-octet character in 4 fragments of 1 octet",
           {send(textFrames(fragments(chat(word), {at + 12, 1, 1, 1})).join()), message(word)}, answered());
}

} // namespace Autobahn
