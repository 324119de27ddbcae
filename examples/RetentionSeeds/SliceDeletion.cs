using System;
using System.Runtime.CompilerServices;

namespace RetentionSeeds
{
    /// <summary>Seed 001: deleting with <c>append(s[:i], s[i+1:]...)</c> leaves the old last pointer in the tail of the
    /// backing array. The same hole in a hand-written C# collection: LA2004 reports the shift; the fix clears the slot.</summary>
    public sealed class Backends
    {
        private object?[] _items = new object?[4];
        private int _size;

        public void Add(object item) => _items[_size++] = item;

        public void Replace(int index, object? item) => _items[index] = item;

#pragma warning disable LA2004 // the seed's bug, kept to show the rule: remove this line to see LA2004
        public void RemoveAt(int index)
        {
            _size--;
            Array.Copy(_items, index + 1, _items, index, _size - index);
        }
#pragma warning restore LA2004

        public void RemoveAtFixed(int index)
        {
            _size--;
            Array.Copy(_items, index + 1, _items, index, _size - index);
            _items[_size] = default;
        }
    }

    public static class SliceDeletion
    {
        /// <summary>Removes the first of two backends, then replaces the survivor: is the survivor's old object still alive?</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static WeakReference RemoveAndReplace(Backends backends, bool fixedRemove)
        {
            var second = new byte[1 << 20];
            backends.Add(new object());
            backends.Add(second);
            if (fixedRemove)
            {
                backends.RemoveAtFixed(0);
            }
            else
            {
                backends.RemoveAt(0);
            }

            backends.Replace(0, null);
            return new WeakReference(second);
        }
    }
}
