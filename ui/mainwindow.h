// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

// Assembles the console's docks; each feature brings its own controller and view.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
};
