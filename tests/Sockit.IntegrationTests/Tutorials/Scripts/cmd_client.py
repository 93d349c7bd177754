import socket

import struct

import json

c = socket.socket()

c.connect(("127.0.0.1",8888))

while True:

    cmd = input(">>>:").strip()

    c.send(cmd.encode("utf-8"))

    # 头部数据

    data = c.recv(4)

    head_length = struct.unpack("i",data)[0]

    head_data = c.recv(head_length).decode("utf-8")

    head = json.loads(head_data)

    print(head)

    # 真实数据长度

    data_length = head["data_size"]

    #接收真实数据

    size = 0

    res = b""

    while size < data_length:

        temp = c.recv(1024)

        size += len(temp)

        res += temp

    print(res.decode("gbk"))
