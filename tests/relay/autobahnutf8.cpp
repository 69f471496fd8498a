// SPDX-License-Identifier: MIT
// The Autobahn section 6: UTF-8 handling. A text message must be valid UTF-8 (RFC 6455 section
// 8.1); one that is not fails the connection with 1007, and an endpoint that validates
// incrementally fails it as soon as the invalid octet arrives (6.4.x, "fail fast").
#include "autobahncases.h"

#include <algorithm>

namespace Autobahn {

namespace {

// "κόσμε"
const QByteArray Kosme = QByteArray::fromHex("cebae1bdb9cf83cebcceb5");
const QByteArray Hello = "Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xc3\xa4\xc3\xbc\xc3\xa0\xc3\xa1-UTF-8!!";

// Chat rows for a valid payload: delivered intact; one that cannot be a JSON string's content
// as it is (a control character) is sent bare and reaches the protocol: invalid_json.
void addValid(const QByteArray &name, const QByteArray &payload)
{
    const bool jsonSafe = std::none_of(payload.begin(), payload.end(),
                                       [](char c) { return uchar(c) < 0x20 || c == '"' || c == '\\'; });
    if (jsonSafe)
        addRow(name, {send(text(chat(payload))), message(payload)}, answered());
    else
        addRow(name + " (bare: invalid_json)", {send(text(payload)), error("invalid_json")}, answered());
}

void addOneOctetFragments(const QByteArray &name, const QByteArray &payload, const ConformanceStep &answer,
                          const ConformanceEnding &ending)
{
    const QList<qsizetype> ones(payload.size() - 1, 1);
    QList<ConformanceStep> steps{send(textFrames(fragments(payload, ones)).join())};
    if (answer.kind != ConformanceStep::Kind::Send)
        steps.append(answer);
    addRow(name, steps, ending);
}

void addFailFastCases()
{
    // 6.4.1/6.4.3: κόσμε, then U+110000 in the UTF-8 integer encoding (invalid at its 2nd octet),
    // then "edited". 6.4.2/6.4.4: the 2nd part is that octet alone.
    const QByteArray invalid = QByteArray::fromHex("f4908080");
    const QByteArray all = chatPrefix() + Kosme + invalid + "edited" + chatSuffix();
    const qsizetype start = chatPrefix().size() + Kosme.size();
    const struct
    {
        const char *number;
        qsizetype first; // octets of the payload in part 1
        qsizetype second;
    } rows[] = {{"6.4.1", start, 4}, {"6.4.2", start + 1, 1}, {"6.4.3", start, 4}, {"6.4.4", start + 1, 1}};
    for (const auto &r : rows) {
        const bool frames = r.number == QByteArrayView("6.4.1") || r.number == QByteArrayView("6.4.2");
        const QByteArray name =
            QByteArray(r.number) + " invalid text in 3 " + (frames ? "frames" : "chops of one frame") +
            (r.second == 1 ? ", part 2 up to the invalid octet" : ", part 2 with the invalid octet") +
            ": 1007 before part 3 is sent";
        if (frames) {
            // The ping proves part 1 was accepted; part 3 is never sent.
            addRow(name,
                   {send(text(all.left(r.first), false) + ping("part 1 accepted")), pong("part 1 accepted"),
                    send(continuation(all.mid(r.first, r.second), false))},
                   fail(1007));
        } else {
            const QByteArray whole = text(all);
            const qsizetype header = whole.size() - all.size();
            addRow(name, {send(whole.left(header + r.first)), send(whole.mid(header + r.first, r.second))},
                   fail(1007));
        }
    }
}

} // namespace

void addUtf8Cases()
{
    addRow("6.1.1 text message of length 0 (empty: invalid_json)", {send(text({})), error("invalid_json")},
           answered());
    addRow("6.1.2 text message in 3 fragments of length 0 (empty: invalid_json)",
           {send(text({}, false) + continuation({}, false) + continuation({})), error("invalid_json")},
           answered());
    addRow("6.1.3 text message in 3 fragments, first and last of length 0",
           {send(text({}, false) + continuation(chat("middle frame payload"), false) + continuation({})),
            message("middle frame payload")},
           answered());
    addRow("6.2.1 valid UTF-8 text in one fragment", {send(text(chat(Hello))), message(Hello)}, answered());
    const qsizetype boundary = chatPrefix().size() + Hello.indexOf("\xc3\xbc");
    addRow("6.2.2 valid UTF-8 text in 2 fragments split on a code point boundary",
           {send(textFrames(fragments(chat(Hello), {boundary})).join()), message(Hello)}, answered());
    addOneOctetFragments("6.2.3 valid UTF-8 text in fragments of 1 octet", chat(Hello), message(Hello),
                         answered());
    addOneOctetFragments("6.2.4 valid UTF-8 text (kosme) in fragments of 1 octet", chat(Kosme),
                         message(Kosme), answered());
    const QByteArray invalid = Kosme + QByteArray::fromHex("eda080") + "edited";
    addRow("6.3.1 invalid UTF-8 text in one fragment: 1007", {send(text(chat(invalid)))}, fail(1007));
    addRow("6.3.1 invalid UTF-8 text in one fragment: 1007, client silent", {send(text(chat(invalid)))},
           fail(1007, false));
    addOneOctetFragments("6.3.2 invalid UTF-8 text in fragments of 1 octet: 1007", chat(invalid), {},
                         fail(1007));
    addFailFastCases();
}

namespace {

struct Category
{
    QByteArray title;
    QList<std::pair<bool, QByteArray>> sequences; // valid?, octets
};

QList<std::pair<bool, QByteArray>> hexes(bool valid, std::initializer_list<const char *> hex)
{
    QList<std::pair<bool, QByteArray>> list;
    for (const char *h : hex)
        list.append({valid, QByteArray::fromHex(h)});
    return list;
}

QList<Category> boundaryCategories()
{
    Category prefixes{"all prefixes of a valid string with multi-byte code points", {}};
    for (qsizetype n = 1; n <= Kosme.size(); ++n)
        prefixes.sequences.append({n == 2 || n == 5 || n == 7 || n == 9 || n == 11, Kosme.left(n)});
    return {
        {"some valid sequences",
         {{true, "hello$world"},
          {true, "hello\xc2\xa2world"},
          {true, "hello\xe2\x82\xacworld"},
          {true, "hello\xf0\xa4\xad\xa2world"},
          {true, Kosme}}},
        prefixes,
        {"first possible sequence of a certain length", hexes(true, {"00", "c280", "e0a080", "f0908080"})},
        {"first possible sequence of length 5/6 (invalid code points)",
         hexes(false, {"f888808080", "fc8480808080"})},
        {"last possible sequence of a certain length", hexes(true, {"7f", "dfbf", "efbfbf", "f48fbfbf"})},
        {"last possible sequence of length 4/5/6 (invalid code points)",
         hexes(false, {"f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"})},
        {"other boundary conditions",
         hexes(true, {"ed9fbf", "ee8080", "efbfbd", "f48fbfbf"}) + hexes(false, {"f4908080"})},
    };
}

QList<Category> malformedCategories()
{
    Category continuation{
        "unexpected continuation bytes",
        hexes(false, {"80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf"})};
    QByteArray all;
    for (int c = 0x80; c < 0xbf; ++c)
        all.append(char(c));
    continuation.sequences.append({false, all});
    Category lonely{"lonely start characters", {}};
    for (const auto &[from, to] :
         {std::pair{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
        QByteArray s;
        for (int c = from; c < to; ++c)
            s += char(c) + QByteArray(" ");
        lonely.sequences.append({false, s});
    }
    Category missing{"sequences with the last continuation byte missing",
                     hexes(false, {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf",
                                   "fbbfbfbf", "fdbfbfbfbf"})};
    QByteArray concatenated;
    for (const auto &s : missing.sequences)
        concatenated += s.second;
    return {
        continuation,
        lonely,
        missing,
        {"concatenation of incomplete sequences", {{false, concatenated}}},
        {"impossible bytes", hexes(false, {"fe", "ff", "fefeffff"})},
        {"overlong ASCII character",
         hexes(false, {"c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"})},
        {"maximum overlong sequences",
         hexes(false, {"c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"})},
        {"overlong NUL", hexes(false, {"c080", "e08080", "f0808080", "f880808080", "fc8080808080"})},
    };
}

QList<Category> surrogateAndSpecialCategories()
{
    Category nonCharacters{"non-character code points (valid UTF-8)", hexes(true, {"efbfbe", "efbfbf"})};
    for (const uchar z1 : {0xf0, 0xf1, 0xf2, 0xf3, 0xf4}) {
        for (const uchar z2 : {0x8f, 0x9f, 0xaf, 0xbf}) {
            if ((z1 == 0xf4 && z2 != 0x8f) || (z1 == 0xf0 && z2 == 0x8f)) // over U+10FFFF, overlong
                continue;
            for (const uchar z3 : {0xbe, 0xbf}) {
                const char octets[4] = {char(z1), char(z2), char(0xbf), char(z3)};
                nonCharacters.sequences.append({true, QByteArray(octets, 4)});
            }
        }
    }
    return {
        {"single UTF-16 surrogates",
         hexes(false, {"eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"})},
        {"paired UTF-16 surrogates",
         hexes(false, {"eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080",
                       "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"})},
        nonCharacters,
        {"Unicode specials",
         hexes(true, {"efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf"})},
    };
}

} // namespace

void addUtf8SequenceCases()
{
    // Autobahn 6.5-6.23, from Markus Kuhn's UTF-8 decoder stress test: one text message each.
    const QList<Category> categories =
        boundaryCategories() + malformedCategories() + surrogateAndSpecialCategories();
    int section = 5;
    for (const Category &category : categories) {
        int number = 1;
        for (const auto &[valid, octets] : category.sequences) {
            const QByteArray name = "6." + QByteArray::number(section) + "." + QByteArray::number(number++) +
                                    " " + category.title + " (" + octets.toHex().left(40) + ")";
            if (valid)
                addValid(name, octets);
            else
                addRow(name + ": 1007", {send(text(chat(octets)))}, fail(1007));
        }
        ++section;
    }
}

} // namespace Autobahn
