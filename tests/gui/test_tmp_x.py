from PySide6.QtCore import Qt
def test_x(demo_window, qtbot):
    w = demo_window
    w.show()
    for h in (740, 560, 450):
        w.resize(1024, h)
        for _ in range(3):
            qtbot.keyClick(w, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(100)
        print(h, w.height(), w.nav.height(), w.nav.contents_height(), w.nav.delegate.compact, w.nav.verticalScrollBar().maximum(), w.nav.count(), w.nav.fontMetrics().height())
