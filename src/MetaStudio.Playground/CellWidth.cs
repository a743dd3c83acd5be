namespace MetaStudio.Playground;

/// <summary>
/// How many terminal cells a character takes, as a console draws it: East Asian wide and fullwidth
/// characters (CJK ideographs, kana, Hangul, fullwidth forms) take two, everything else one. The
/// ranges are those of the common <c>wcwidth</c> tables (Unicode East Asian Width W and F in the
/// Basic Multilingual Plane); a surrogate pair counts one cell per half, which gives the two cells
/// a terminal draws for supplementary ideographs and most emoji.
/// </summary>
public static class CellWidth
{
    public static int Of(char c) => IsWide(c) ? 2 : 1;

    public static int Of(string text, int offset = 0)
    {
        int cells = 0;
        for (int i = offset; i < text.Length; i++)
        {
            cells += Of(text[i]);
        }

        return cells;
    }

    private static bool IsWide(char c) =>
        c >= '\u1100' &&
        (c <= '\u115F' ||                                   // Hangul Jamo initial consonants
         c == '\u2329' || c == '\u232A' ||                  // angle brackets
         (c >= '\u2E80' && c <= '\uA4CF' && c != '\u303F') || // CJK radicals … Yi (kana, ideographs, CJK punctuation)
         (c >= '\uAC00' && c <= '\uD7A3') ||                 // Hangul syllables
         (c >= '\uF900' && c <= '\uFAFF') ||                 // CJK compatibility ideographs
         (c >= '\uFE10' && c <= '\uFE19') ||                 // vertical forms
         (c >= '\uFE30' && c <= '\uFE6F') ||                 // CJK compatibility forms, small forms
         (c >= '\uFF00' && c <= '\uFF60') ||                 // fullwidth forms
         (c >= '\uFFE0' && c <= '\uFFE6'));                  // fullwidth signs
}
